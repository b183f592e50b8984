import type { InstanceContext } from "../instance-context.js";
import { DASHBOARD_PATH } from "../url.js";
import { AllowedSitesPanel } from "./allowed-sites-panel.js";
import { EditableList, FieldError, PostForm } from "./components.js";
import { InstanceFrame } from "./instance-frame.js";

/** What the session form shows: the stored settings, or what the operator just typed. */
export interface SettingsFormValues {
  sessionMaxLifetime: string;
  sessionInactivityTimeout: string;
  afterSignInUrl: string;
  /** Empty: left as it is (a form from before the field existed changes nothing). */
  reverificationMaxAge: string;
  /** The version the form was read at: a save on an older one is refused, not merged. */
  version: number;
}

export interface SettingsFormError {
  field: string | undefined;
  message: string;
}

/** 604800 → "7 days"; the form takes seconds, people read days. */
export function humanDuration(seconds: number): string {
  const units: Array<[number, string]> = [
    [86_400, "day"],
    [3_600, "hour"],
    [60, "minute"],
  ];
  for (const [size, name] of units) {
    if (seconds >= size && seconds % size === 0) {
      const n = seconds / size;
      return `${n} ${name}${n === 1 ? "" : "s"}`;
    }
  }
  return `${seconds} seconds`;
}

function OriginsPanel(props: {
  ctx: InstanceContext;
  base: string;
  csrf: string;
  error?: SettingsFormError;
  originValue?: string;
}) {
  const { ctx, base, csrf, error } = props;
  const originError = error?.field === "origin" ? error.message : undefined;
  return (
    <section class="panel" aria-labelledby="origins-heading">
      <h2 id="origins-heading">Allowed origins</h2>
      <p class="hint">
        Exact origins (scheme, host and port, no path) your app runs on. Only these may receive users after
        sign-in and call the Frontend API from the browser.
      </p>
      <EditableList
        items={ctx.instance.allowed_origins}
        name="origin"
        action={`${base}/origins`}
        csrf={csrf}
        empty="None yet."
        addLabel="Add an origin"
        addButton="Add origin"
        placeholder="https://app.example.com"
        value={props.originValue}
        error={originError}
      />
    </section>
  );
}

export function InstanceSettingsPage(props: {
  ctx: InstanceContext;
  values: SettingsFormValues;
  csrf: string;
  notice?: string;
  error?: SettingsFormError;
  originValue?: string;
  siteValue?: string;
}) {
  const { ctx, values, csrf, error } = props;
  const { instance } = ctx;
  const base = `${DASHBOARD_PATH}/instances/${encodeURIComponent(instance.id)}`;
  const errorFor = (name: string) => (error?.field === name ? error.message : undefined);
  const invalid = (name: string) => (errorFor(name) ? "true" : undefined);
  return (
    <InstanceFrame ctx={ctx} tab="settings" title="Settings" csrf={csrf} notice={props.notice}>
      {error && error.field !== "origin" && error.field !== "site" ? (
        <div class="notice error" role="alert">
          Not saved: {error.message}
        </div>
      ) : null}
      <section class="panel" aria-labelledby="sessions-heading">
        <h2 id="sessions-heading">Sessions and redirects</h2>
        <PostForm action={`${base}/settings`} csrf={csrf}>
          <input type="hidden" name="version" value={String(values.version)} />
          <label for="session_max_lifetime_seconds">Session lifetime (seconds)</label>
          <input
            type="text"
            inputmode="numeric"
            id="session_max_lifetime_seconds"
            name="session_max_lifetime_seconds"
            value={values.sessionMaxLifetime}
            aria-invalid={invalid("session_max_lifetime_seconds")}
            aria-describedby="session_max_lifetime_seconds-hint session_max_lifetime_seconds-error"
          />
          <p class="hint" id="session_max_lifetime_seconds-hint">
            A session ends this long after sign-in, however active the user is (now{" "}
            {humanDuration(instance.session_max_lifetime_seconds)}; at least 300).
          </p>
          <FieldError
            id="session_max_lifetime_seconds-error"
            message={errorFor("session_max_lifetime_seconds")}
          />
          <label for="session_inactivity_timeout_seconds">Inactivity timeout (seconds, optional)</label>
          <input
            type="text"
            inputmode="numeric"
            id="session_inactivity_timeout_seconds"
            name="session_inactivity_timeout_seconds"
            value={values.sessionInactivityTimeout}
            placeholder="No inactivity timeout"
            aria-invalid={invalid("session_inactivity_timeout_seconds")}
            aria-describedby="session_inactivity_timeout_seconds-hint session_inactivity_timeout_seconds-error"
          />
          <p class="hint" id="session_inactivity_timeout_seconds-hint">
            A session also ends after this long without use (at least 60). Empty: only the lifetime counts.
          </p>
          <FieldError
            id="session_inactivity_timeout_seconds-error"
            message={errorFor("session_inactivity_timeout_seconds")}
          />
          <label for="reverification_max_age_seconds">Re-verification window (seconds)</label>
          <input
            type="text"
            inputmode="numeric"
            id="reverification_max_age_seconds"
            name="reverification_max_age_seconds"
            value={values.reverificationMaxAge}
            aria-invalid={invalid("reverification_max_age_seconds")}
            aria-describedby="reverification_max_age_seconds-hint reverification_max_age_seconds-error"
          />
          <p class="hint" id="reverification_max_age_seconds-hint">
            Linking another Atlassian account to a user needs a sign-in at most this old (default 600: 10
            minutes). Reconnecting an account the user already has never does.
          </p>
          <FieldError
            id="reverification_max_age_seconds-error"
            message={errorFor("reverification_max_age_seconds")}
          />
          <label for="after_sign_in_url">After-sign-in URL (optional)</label>
          <input
            type="url"
            id="after_sign_in_url"
            name="after_sign_in_url"
            value={values.afterSignInUrl}
            class="mono"
            placeholder="https://app.example.com/home"
            aria-invalid={invalid("after_sign_in_url")}
            aria-describedby="after_sign_in_url-hint after_sign_in_url-error"
          />
          <p class="hint" id="after_sign_in_url-hint">
            Where users land when the sign-in named no redirect_url. In production it must be on an allowed
            origin. Empty: Foyer's own signed-in page.
          </p>
          <FieldError id="after_sign_in_url-error" message={errorFor("after_sign_in_url")} />
          <p>
            <button type="submit" class="primary">
              Save settings
            </button>
          </p>
        </PostForm>
      </section>
      <OriginsPanel ctx={ctx} base={base} csrf={csrf} error={error} originValue={props.originValue} />
      <AllowedSitesPanel ctx={ctx} base={base} csrf={csrf} error={error} siteValue={props.siteValue} />
    </InstanceFrame>
  );
}
