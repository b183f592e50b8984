/**
 * Step 1, standing in for the Atlassian login: pick a seeded account or create one.
 */
import type { EmulatorAccount } from "../types.js";
import { initials, Layout } from "./layout.js";

export interface AccountPageProps {
  pendingId: string;
  appName: string;
  accounts: EmulatorAccount[];
  error?: string;
}

export function AccountPage(props: AccountPageProps) {
  return (
    <Layout title="Choose an account">
      <div class="card">
        <h1>Log in to continue to {props.appName}</h1>
        {props.error ? (
          <div class="error" role="alert">
            {props.error}
          </div>
        ) : null}
        <form method="post" action="/authorize/account">
          <input type="hidden" name="pending" value={props.pendingId} />
          {props.accounts.length > 0 ? (
            <fieldset>
              <legend>Choose an account</legend>
              {props.accounts.map((account, i) => (
                <label class="option">
                  <input type="radio" name="account_id" value={account.accountId} checked={i === 0} />
                  <span class="avatar" aria-hidden="true">
                    {initials(account.name)}
                  </span>
                  <span>
                    <strong>{account.name}</strong>
                    <br />
                    <span class="muted">{account.email ?? account.accountId}</span>
                  </span>
                </label>
              ))}
              <div class="actions">
                <button class="primary" type="submit" name="mode" value="existing">
                  Continue
                </button>
              </div>
            </fieldset>
          ) : null}
        </form>
        <div class="divider">or create an account</div>
        <form method="post" action="/authorize/account">
          <input type="hidden" name="pending" value={props.pendingId} />
          <label class="field">
            <span>Full name</span>
            <input type="text" name="name" required autocomplete="name" />
          </label>
          <label class="field">
            <span>Email</span>
            <input type="email" name="email" required autocomplete="email" />
          </label>
          <div class="actions">
            <button class="subtle" type="submit" name="mode" value="create">
              Create account and continue
            </button>
          </div>
        </form>
      </div>
      <footer class="muted">Accounts live only in this emulator's memory.</footer>
    </Layout>
  );
}
