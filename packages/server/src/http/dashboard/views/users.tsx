import { type InstanceContext, instancePath } from "../instance-context.js";
import type { UserView } from "../user-admin.js";
import { Time } from "./components.js";
import { InstanceFrame } from "./instance-frame.js";

export function displayName(user: UserView): string {
  const name = [user.first_name, user.last_name].filter(Boolean).join(" ");
  return name || user.username || user.id;
}

export function primaryEmail(user: UserView): string | undefined {
  const primary = user.email_addresses.find((e) => e.id === user.primary_email_address_id);
  return (primary ?? user.email_addresses[0])?.email_address;
}

function pageLink(instanceId: string, query: string, needsReconnect: boolean, page: number): string {
  const params = new URLSearchParams();
  if (query) params.set("query", query);
  if (needsReconnect) params.set("needs_reconnect", "true");
  if (page > 1) params.set("page", String(page));
  const qs = params.toString();
  return `${instancePath(instanceId, "users")}${qs ? `?${qs}` : ""}`;
}

export function UsersPage(props: {
  ctx: InstanceContext;
  users: UserView[];
  total: number;
  page: number;
  pageSize: number;
  query: string;
  /** Only users who must reconnect Atlassian (their grant died). */
  needsReconnect: boolean;
  csrf: string;
  notice?: string;
}) {
  const { ctx, users, total, page, pageSize, query, needsReconnect } = props;
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const id = ctx.instance.id;
  return (
    <InstanceFrame ctx={ctx} tab="users" title="Users" csrf={props.csrf} notice={props.notice}>
      <section class="panel" aria-labelledby="users-heading">
        <div class="spread">
          <h2 id="users-heading">Users</h2>
          <form method="get" action={instancePath(id, "users")} class="row">
            <label for="user-search" class="sr-only">
              Search users
            </label>
            <input
              type="search"
              id="user-search"
              name="query"
              value={query}
              maxlength={200}
              placeholder="Name, email, user id or Atlassian account id"
            />
            <label class="check inline-check" for="needs-reconnect">
              <input
                type="checkbox"
                id="needs-reconnect"
                name="needs_reconnect"
                value="true"
                checked={needsReconnect}
              />
              <span>Needs to reconnect</span>
            </label>
            <button type="submit">Search</button>
          </form>
        </div>
        {users.length === 0 ? (
          <p class="muted">
            {needsReconnect
              ? "No user needs to reconnect Atlassian."
              : query
                ? "No user matches this search."
                : "No users yet."}
          </p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">User</th>
                <th scope="col">Email</th>
                <th scope="col">Atlassian account</th>
                <th scope="col">Last sign-in</th>
              </tr>
            </thead>
            <tbody>
              {users.map((user) => {
                const account = user.external_accounts[0];
                return (
                  <tr>
                    <td>
                      <a href={instancePath(id, `users/${encodeURIComponent(user.id)}`)}>
                        {displayName(user)}
                      </a>
                      <div class="muted mono">{user.id}</div>
                    </td>
                    <td>{primaryEmail(user) ?? <span class="muted">hidden by Atlassian</span>}</td>
                    <td>
                      {account ? (
                        <>
                          <div class="mono wrap">{account.provider_user_id}</div>
                          {user.external_accounts.some((a) => a.status === "reauthorization_required") ? (
                            <span class="badge warn">Must reconnect</span>
                          ) : null}
                          <div class="muted">{account.sites.map((s) => s.name).join(", ")}</div>
                        </>
                      ) : (
                        <span class="muted">—</span>
                      )}
                    </td>
                    <td>
                      <Time ms={user.last_sign_in_at} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
        <nav class="pager" aria-label="Pages">
          <span class="muted">
            {total} user{total === 1 ? "" : "s"} · page {page} of {pages}
          </span>
          {page > 1 ? <a href={pageLink(id, query, needsReconnect, page - 1)}>Previous</a> : null}
          {page < pages ? <a href={pageLink(id, query, needsReconnect, page + 1)}>Next</a> : null}
        </nav>
      </section>
    </InstanceFrame>
  );
}
