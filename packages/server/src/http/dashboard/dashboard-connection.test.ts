import { type DashboardClient, signInToDashboard, unescapeHtml } from "@foyer/testkit/dashboard-client";
import { DB_KINDS } from "@foyer/testkit/databases";
import { createTestFoyer, type TestFoyer } from "@foyer/testkit/harness";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

describe.each(DB_KINDS)("dashboard Atlassian connection form (%s)", (kind) => {
  let foyer: TestFoyer;
  let dash: DashboardClient;
  let devId: string;
  let prodId: string;
  beforeAll(async () => {
    foyer = await createTestFoyer(kind, {
      atlassian: { shared: { clientId: "shared-id", clientSecret: "shared-secret" }, emulated: true },
    });
    dash = await signInToDashboard(foyer);
    const app = await (
      await foyer.platform("/applications", { method: "POST", json: { name: "Conn" } })
    ).json();
    devId = app.instances[0].id;
    const prod = await foyer.platform(`/applications/${app.id}/instances`, {
      method: "POST",
      json: { environment: "production", frontend_api_url: "https://clerk.conn.example" },
    });
    prodId = (await prod.json()).id;
  });
  afterAll(() => foyer.close());

  const connection = async (id: string) =>
    (await foyer.platform(`/instances/${id}/social_connections/atlassian`)).json();
  const save = (id: string, fields: Record<string, string | string[]>) =>
    dash.post(`/dashboard/instances/${id}/sso/atlassian`, fields);

  it("shows a development instance on shared emulator credentials, and says so", async () => {
    const list = await dash.html(`/dashboard/instances/${devId}/sso`);
    expect(list).toContain(`/dashboard/instances/${devId}/sso/atlassian`);
    expect(list).toContain("Enabled");
    const page = await dash.html(`/dashboard/instances/${devId}/sso/atlassian`);
    expect(page).toContain("shared credentials and shared redirect URI");
    expect(page).toContain("built-in Atlassian emulator");
    expect(page).toContain('value="http://foyer.test/v1/oauth_callback"');
    expect(page).toContain(`http://foyer.test/fapi/${devId}/v1/oauth_callback`);
    expect(page).toContain("Scopes can only be changed with custom credentials.");
    // Credentials and scopes are greyed out without custom credentials.
    expect(page.match(/<fieldset data-needs-custom="true" disabled="">/g) ?? []).toHaveLength(2);
    expect(page).toMatch(/id="scope-read-me" checked="" disabled=""/);
    expect(page).toContain("create an <strong>OAuth 2.0 integration</strong>");
    expect(page).toContain("at least one Atlassian site");
    expect(page).toContain("Each consent authorizes a single site");
  });

  it("saves the toggles of a shared-credential instance and keeps its scopes", async () => {
    // The disabled fieldsets are not submitted by a browser: only the toggles arrive.
    const res = await save(devId, { enabled: "on" });
    expect(res.status).toBe(303);
    const c = await connection(devId);
    expect(c.enabled).toBe(true);
    expect(c.authenticatable).toBe(false);
    expect(c.use_custom_credentials).toBe(false);
    expect(c.scopes).toEqual(["read:me", "read:jira-user", "offline_access"]);
    const page = await dash.html(`/dashboard/instances/${devId}/sso/atlassian?notice=connection_saved`);
    expect(page).toContain("Atlassian connection saved.");
  });

  it("refuses custom scopes on shared credentials, naming the scopes field", async () => {
    const res = await save(devId, { enabled: "on", scopes_present: "1", add_scopes: "read:jira-work" });
    expect(res.status).toBe(422);
    const html = unescapeHtml(await res.text());
    expect(html).toContain("Custom scopes need custom credentials");
    expect(html).toContain('id="scopes-error"');
    expect((await connection(devId)).scopes).not.toContain("read:jira-work");
  });

  it("refuses to enable production without a secret, showing the error at the Client Secret field", async () => {
    const page = await dash.html(`/dashboard/instances/${prodId}/sso/atlassian`);
    expect(page).toMatch(/id="use_custom_credentials" name="use_custom_credentials" checked="" disabled=""/);
    expect(page).toContain(`value="https://clerk.conn.example/v1/oauth_callback"`);
    expect(page).toContain("No secret set");

    const api = await foyer.platform(`/instances/${prodId}/social_connections/atlassian`, {
      method: "PATCH",
      json: { enabled: true, client_id: "prod-client" },
    });
    const apiError = (await api.json()).errors[0];
    expect(apiError.meta.param_name).toBe("client_secret");

    const res = await save(prodId, {
      enabled: "on",
      authenticatable: "on",
      client_id: "prod-client",
      client_secret: "",
    });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(unescapeHtml(html)).toContain(apiError.message);
    expect(html).toMatch(/id="client_secret" name="client_secret"[^>]*aria-invalid="true"/);
    expect(html).toContain('id="client_secret-error"');
    // What was typed is kept; the secret box never echoes anything.
    expect(html).toContain('value="prod-client"');
    expect((await connection(prodId)).enabled).toBe(false);
  });

  it("saves production credentials and scopes; the secret is write-only", async () => {
    const res = await save(prodId, {
      enabled: "on",
      authenticatable: "on",
      client_id: "prod-client",
      client_secret: "prod-secret-value-123",
      scopes_present: "1",
      offline_access: "on",
      scope: ["read:jira-user"],
      add_scopes: "read:jira-work  read:confluence-content.all",
    });
    expect(res.status).toBe(303);
    const c = await connection(prodId);
    expect(c).toMatchObject({
      enabled: true,
      authenticatable: true,
      client_id: "prod-client",
      client_secret_set: true,
    });
    expect(c.scopes).toEqual([
      "read:me",
      "offline_access",
      "read:jira-user",
      "read:jira-work",
      "read:confluence-content.all",
    ]);
    const page = await dash.html(`/dashboard/instances/${prodId}/sso/atlassian`);
    expect(page).toContain("Secret set");
    expect(page).not.toContain("prod-secret-value-123");

    // An empty secret box keeps the secret; unticking removes a scope and offline_access.
    const again = await save(prodId, {
      enabled: "on",
      client_id: "prod-client",
      client_secret: "",
      scopes_present: "1",
      scope: ["read:jira-work"],
    });
    expect(again.status).toBe(303);
    const c2 = await connection(prodId);
    expect(c2.client_secret_set).toBe(true);
    expect(c2.authenticatable).toBe(false);
    expect(c2.scopes).toEqual(["read:me", "read:jira-work"]);
    const page2 = await dash.html(`/dashboard/instances/${prodId}/sso/atlassian`);
    expect(page2).toContain("Without it Atlassian issues no refresh token");
    expect(page2).not.toMatch(/id="offline_access" name="offline_access" checked/);
    expect(foyer.logs()).not.toContain("prod-secret-value-123");
  });

  it("refuses a malformed scope with the Platform API's error", async () => {
    const api = await foyer.platform(`/instances/${prodId}/social_connections/atlassian`, {
      method: "PATCH",
      json: { scopes: ["read:me", "read:jira-work", "Read Jira,<script>"] },
    });
    const apiError = (await api.json()).errors[0];
    expect(apiError.code).toBe("atlassian_scope_invalid");
    const res = await save(prodId, {
      enabled: "on",
      client_id: "prod-client",
      scopes_present: "1",
      scope: ["read:jira-work"],
      add_scopes: "Read,<script>",
    });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain("is not an Atlassian scope");
    expect(html).toContain('id="scopes-error"');
    expect(html).not.toContain("<script>");
    expect(html).toContain('value="Read,&lt;script&gt;"');
  });

  it("lets a development instance switch to custom credentials with custom scopes", async () => {
    const res = await save(devId, {
      enabled: "on",
      authenticatable: "on",
      use_custom_credentials: "on",
      client_id: "dev-own",
      client_secret: "dev-own-secret",
      scopes_present: "1",
      offline_access: "on",
      add_scopes: "read:jira-work",
    });
    expect(res.status).toBe(303);
    const c = await connection(devId);
    expect(c.use_custom_credentials).toBe(true);
    expect(c.redirect_uri).toBe(`http://foyer.test/fapi/${devId}/v1/oauth_callback`);
    expect(c.scopes).toEqual(["read:me", "offline_access", "read:jira-work"]);
  });
});
