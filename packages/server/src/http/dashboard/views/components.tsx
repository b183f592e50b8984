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
