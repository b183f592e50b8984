import type { Child } from "hono/jsx";
import { CSRF_FIELD } from "../form.js";

/** The per-session anti-CSRF token; every POST form includes it. */
export function Csrf(props: { token: string }) {
  return <input type="hidden" name={CSRF_FIELD} value={props.token} />;
}

/** A POST form with its CSRF token and, when given, a confirmation asked by the script. */
export function PostForm(props: {
  action: string;
  csrf: string;
  confirm?: string;
  class?: string;
  children?: Child;
}) {
  return (
    <form method="post" action={props.action} class={props.class} data-confirm={props.confirm}>
      <Csrf token={props.csrf} />
      {props.children}
    </form>
  );
}

/** A read-only value with a copy button. */
export function CopyField(props: { id: string; label: string; value: string; hint?: Child }) {
  return (
    <div>
      <label for={props.id}>{props.label}</label>
      <div class="copy">
        <input type="text" id={props.id} value={props.value} readonly class="mono" />
        <button type="button" data-copy={props.id} aria-label={`Copy ${props.label}`}>
          Copy
        </button>
      </div>
      {props.hint ? <p class="hint">{props.hint}</p> : null}
    </div>
  );
}

export function FieldError(props: { id: string; message: string | undefined }) {
  return props.message ? (
    <p class="field-error" id={props.id} role="alert">
      {props.message}
    </p>
  ) : null;
}

export function Notice(props: { kind: "ok" | "error" | "info"; children?: Child }) {
  return (
    <div class={`notice ${props.kind}`} role={props.kind === "error" ? "alert" : "status"}>
      {props.children}
    </div>
  );
}

/**
 * A list of strings the operator edits one at a time (allowed origins, allowed Atlassian
 * sites): each with a Remove form posting `name`=value to `${action}/remove`, then an Add form
 * posting `name` to `action`, with the field's error in words under it.
 */
export function EditableList(props: {
  items: string[];
  name: string;
  action: string;
  csrf: string;
  empty: string;
  addLabel: string;
  addButton: string;
  placeholder: string;
  value?: string | undefined;
  error?: string | undefined;
}) {
  const { items, name, action, csrf, error } = props;
  const errorId = `${name}-error`;
  return (
    <>
      {items.length === 0 ? <p class="muted">{props.empty}</p> : null}
      <ul class="plain">
        {items.map((item) => (
          <li class="row">
            <code class="wrap">{item}</code>
            <PostForm action={`${action}/remove`} csrf={csrf} class="inline">
              <input type="hidden" name={name} value={item} />
              <button type="submit" class="link" aria-label={`Remove ${item}`}>
                Remove
              </button>
            </PostForm>
          </li>
        ))}
      </ul>
      <PostForm action={action} csrf={csrf}>
        <label for={name}>{props.addLabel}</label>
        <div class="row">
          <input
            type="text"
            id={name}
            name={name}
            class="grow"
            placeholder={props.placeholder}
            value={props.value}
            required
            aria-invalid={error ? "true" : undefined}
            aria-describedby={error ? errorId : undefined}
          />
          <button type="submit">{props.addButton}</button>
        </div>
        <FieldError id={errorId} message={error} />
      </PostForm>
    </>
  );
}

/** Millisecond time as an unambiguous UTC string; "—" when absent. */
export function formatTime(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return "—";
  return `${new Date(ms).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

export function Time(props: { ms: number | null | undefined }) {
  return props.ms ? (
    <time datetime={new Date(props.ms).toISOString()}>{formatTime(props.ms)}</time>
  ) : (
    <span class="muted">—</span>
  );
}
