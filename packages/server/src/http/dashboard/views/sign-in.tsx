import { CSRF_FIELD } from "../form.js";
import { DASHBOARD_PATH } from "../url.js";
import { FieldError } from "./components.js";
import { Layout } from "./layout.js";

export function SignInPage(props: { formToken: string; error?: string }) {
  return (
    <Layout title="Sign in">
      <div class="panel signin">
        <h1>Sign in to the dashboard</h1>
        <p class="lede">
          Use this deployment's platform token (<code>FOYER_PLATFORM_TOKEN</code>; a development install
          prints it at start).
        </p>
        <form method="post" action={`${DASHBOARD_PATH}/sign-in`}>
          <input type="hidden" name={CSRF_FIELD} value={props.formToken} />
          <label for="platform_token">Platform token</label>
          <input
            type="password"
            id="platform_token"
            name="platform_token"
            autocomplete="current-password"
            required
            autofocus
            aria-invalid={props.error ? "true" : undefined}
            aria-describedby={props.error ? "platform_token-error" : undefined}
          />
          <FieldError id="platform_token-error" message={props.error} />
          <p>
            <button type="submit" class="primary">
              Sign in
            </button>
          </p>
        </form>
      </div>
    </Layout>
  );
}
