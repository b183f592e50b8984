/**
 * A page for humans at /__emulator: what the emulator holds right now. Client secrets are
 * never shown, only whether one is set.
 */
import { Layout } from "../pages/layout.js";
import type { EmulatorState } from "../state.js";

export function IndexPage(props: { state: EmulatorState }) {
  const { state } = props;
  return (
    <Layout title="Emulator state" wide>
      <h1>Foyer Atlassian emulator</h1>
      <h2>Apps</h2>
      <table>
        <thead>
          <tr>
            <th>Name</th>
            <th>Client ID</th>
            <th>Callback URL</th>
            <th>Scopes</th>
            <th>Sharing</th>
            <th>Access</th>
          </tr>
        </thead>
        <tbody>
          {[...state.apps.values()].map((app) => (
            <tr>
              <td>{app.name}</td>
              <td>
                <code>{app.clientId}</code>
              </td>
              <td>{app.callbackUrl}</td>
              <td>{app.scopes.join(" ")}</td>
              <td>{app.shared ? "shared" : `private (owner ${app.ownerAccountId ?? "none"})`}</td>
              <td>{app.accessType ?? "resource"}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Accounts</h2>
      <table>
        <thead>
          <tr>
            <th>Name</th>
            <th>Account ID</th>
            <th>Email</th>
            <th>Status</th>
            <th>Sites</th>
          </tr>
        </thead>
        <tbody>
          {[...state.accounts.values()].map((a) => (
            <tr>
              <td>{a.name}</td>
              <td>
                <code>{a.accountId}</code>
              </td>
              <td>
                {a.email ?? ""}
                {a.hideEmail ? " (hidden)" : ""}
              </td>
              <td>{a.accountStatus ?? "active"}</td>
              <td>{a.siteIds.map((id) => state.sites.get(id)?.name ?? id).join(", ")}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Sites</h2>
      <table>
        <thead>
          <tr>
            <th>Name</th>
            <th>Cloud ID</th>
            <th>URL</th>
            <th>Products</th>
          </tr>
        </thead>
        <tbody>
          {[...state.sites.values()].map((s) => (
            <tr>
              <td>{s.name}</td>
              <td>
                <code>{s.cloudId}</code>
              </td>
              <td>{s.url}</td>
              <td>{s.products.join(", ")}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Grants</h2>
      <table>
        <thead>
          <tr>
            <th>Client ID</th>
            <th>Account ID</th>
            <th>Scopes</th>
            <th>Sites</th>
            <th>Revoked</th>
          </tr>
        </thead>
        <tbody>
          {[...state.grants.values()].map((g) => (
            <tr>
              <td>
                <code>{g.clientId}</code>
              </td>
              <td>
                <code>{g.accountId}</code>
              </td>
              <td>{g.scopes.join(" ")}</td>
              <td>{g.cloudIds.map((id) => state.sites.get(id)?.name ?? id).join(", ")}</td>
              <td>{g.revoked ? "yes" : "no"}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p class="muted">
        Control API: JSON under /__emulator/… (seed, apps, accounts, sites, consent, faults, clock…).
      </p>
    </Layout>
  );
}
