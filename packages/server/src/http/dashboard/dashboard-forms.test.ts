import { type DashboardClient, signInToDashboard, unescapeHtml } from "@foyer/testkit/dashboard-client";
import { DB_KINDS } from "@foyer/testkit/databases";
import { createTestFoyer, type TestFoyer } from "@foyer/testkit/harness";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

interface AppJson {
  id: string;
  name: string;
  instances: Array<{ id: string; environment: string; publishable_key: string; frontend_api_url: string }>;
}

describe.each(DB_KINDS)("dashboard forms (%s)", (kind) => {
  let foyer: TestFoyer;
  let dash: DashboardClient;
  beforeAll(async () => {
    foyer = await createTestFoyer(kind, {
      atlassian: { shared: { clientId: "shared-id", clientSecret: "shared-secret" }, emulated: true },
    });
    dash = await signInToDashboard(foyer);
  });
  afterAll(() => foyer.close());

  const apps = async (): Promise<AppJson[]> => (await (await foyer.platform("/applications")).json()).data;
  const appNamed = async (name: string) => (await apps()).find((a) => a.name === name)!;
  const createApp = async (name: string) => {
    const res = await dash.post("/dashboard/applications", { name });
    expect(res.status).toBe(303);
    return appNamed(name);
  };

  it("creates, lists, renames and deletes applications", async () => {
    const created = await dash.post("/dashboard/applications", { name: "Acme <b>Portal</b>" });
    expect(created.headers.get("location")).toBe("/dashboard?notice=application_created");
    const list = await dash.html("/dashboard?notice=application_created");
    expect(list).toContain("Application created with its development instance.");
    expect(list).toContain("Acme &lt;b&gt;Portal&lt;/b&gt;");
    expect(list).not.toContain("<b>Portal</b>");
    const app = await appNamed("Acme <b>Portal</b>");
    expect(app.instances.map((i) => i.environment)).toEqual(["development"]);
    expect(list).toContain(`/dashboard/instances/${app.instances[0]!.id}/api-keys`);

    const empty = await dash.post("/dashboard/applications", { name: "   " });
    expect(empty.status).toBe(422);
    expect(await empty.text()).toContain('id="new-app-name-error"');

    expect((await dash.post(`/dashboard/applications/${app.id}/rename`, { name: "Acme" })).status).toBe(303);
    expect((await appNamed("Acme")).id).toBe(app.id);
    const badRename = await dash.post(`/dashboard/applications/${app.id}/rename`, { name: "x".repeat(101) });
    expect(badRename.status).toBe(422);

    const confirm = await dash.html(`/dashboard/applications/${app.id}/delete`);
    expect(confirm).toContain("Delete “Acme”?");
    expect((await apps()).some((a) => a.id === app.id)).toBe(true);
    const deleted = await dash.post(`/dashboard/applications/${app.id}/delete`);
    expect(deleted.status).toBe(303);
    expect((await apps()).some((a) => a.id === app.id)).toBe(false);
    expect((await dash.get(`/dashboard/applications/${app.id}/delete`)).status).toBe(404);
  });

  it("creates a production instance, refusing an insecure URL as the Platform API does", async () => {
    const app = await createApp("Prod app");
    const form = await dash.html(`/dashboard/applications/${app.id}/production`);
    expect(form).toContain('name="frontend_api_url"');

    const api = await foyer.platform(`/applications/${app.id}/instances`, {
      method: "POST",
      json: { environment: "production", frontend_api_url: "http://clerk.example.com" },
    });
    const apiError = (await api.json()).errors[0];
    const bad = await dash.post(`/dashboard/applications/${app.id}/production`, {
      frontend_api_url: "http://clerk.example.com",
    });
    expect(bad.status).toBe(api.status);
    expect(unescapeHtml(await bad.text())).toContain(apiError.long_message);

    const ok = await dash.post(`/dashboard/applications/${app.id}/production`, {
      frontend_api_url: "https://clerk.prod-app.example",
    });
    // Answered with the keys page itself: the first production key is shown in this answer only.
    expect(ok.status).toBe(200);
    const prod = (await appNamed("Prod app")).instances.find((i) => i.environment === "production")!;
    expect(prod.frontend_api_url).toBe("https://clerk.prod-app.example");
    const created = await ok.text();
    expect(created).toContain("Production instance created.");
    expect(created).toMatch(/id="new-secret-key" value="sk_live_[A-Za-z0-9_-]{43}"/);

    const again = await dash.post(`/dashboard/applications/${app.id}/production`, { frontend_api_url: "" });
    expect(again.status).toBe(409);
    expect(await again.text()).toContain("already has an instance for that environment");

    const page = await dash.html(`/dashboard/instances/${prod.id}/api-keys`);
    expect(page).toContain('aria-current="page">Production');
    expect(page).toContain(`/dashboard/instances/${app.instances[0]!.id}/api-keys`);
    expect(page).not.toContain("Create production instance");
  });

  it("points every form and reveal on the instance pages at a route that exists", async () => {
    const app = await createApp("Targets app");
    const dev = app.instances[0]!;
    const pages = [
      `/dashboard/instances/${dev.id}/api-keys`,
      `/dashboard/instances/${dev.id}/sso/atlassian`,
      `/dashboard/instances/${dev.id}/users`,
      `/dashboard/instances/${dev.id}/settings`,
      "/dashboard",
      `/dashboard/applications/${app.id}/production`,
    ];
    for (const tab of pages) {
      const page = await dash.html(tab);
      // POST forms and on-demand reveals; GET forms (search) are plain links and tested elsewhere.
      const posts = [...page.matchAll(/<form([^>]*)>/g)]
        .map((m) => m[1]!)
        .filter((attrs) => /method="post"/i.test(attrs))
        .map((attrs) => /action="([^"]+)"/.exec(attrs)![1]!);
      const reveals = [...page.matchAll(/data-reveal-url="([^"]+)"/g)].map((m) => m[1]!);
      const targets = [...posts, ...reveals]
        .map((t) => t.replace(/&amp;/g, "&"))
        // Sign-out (in every page's header) would end this test's session; it has its own tests.
        .filter((t) => !t.endsWith("/sign-out"));
      if (!tab.endsWith("/users")) expect(targets.length, tab).toBeGreaterThan(0);
      for (const target of targets) {
        const res = await dash.post(target);
        expect(res.status, `${tab}: ${target}`).not.toBe(404);
      }
    }
  });

  it("shows an instance's keys, URLs and public key; creates and revokes secret keys", async () => {
    const app = await createApp("Keys app");
    const dev = app.instances[0]!;
    const base = `/dashboard/instances/${dev.id}`;
    const page = await dash.html(`${base}/api-keys`);
    const keys = (await (await foyer.platform(`/instances/${dev.id}/secret_keys`)).json()).data;
    expect(page).toContain(dev.publishable_key);
    expect(page).toContain(`${dev.frontend_api_url}/.well-known/jwks.json`);
    expect(page).toContain("-----BEGIN PUBLIC KEY-----");
    // Only the masked form is on the page; Reveal and Copy fetch the key with the CSRF token.
    expect(page).not.toContain(keys[0].key);
    expect(page).toContain(`${keys[0].key_prefix}${"•".repeat(12)}${keys[0].last4}`);
    const revealed = await dash.post(`${base}/secret-keys/${keys[0].id}/reveal`);
    expect(revealed.status).toBe(200);
    expect(revealed.headers.get("cache-control")).toBe("no-store");
    expect((await revealed.json()).key).toBe(keys[0].key);
    const forged = await foyer.request(`${base}/secret-keys/${keys[0].id}/reveal`, {
      method: "POST",
      headers: {
        cookie: dash.cookie,
        origin: dash.origin,
        "content-type": "application/x-www-form-urlencoded",
      },
      body: "_csrf=forged",
    });
    expect(forged.status).toBe(403);
    expect(await forged.text()).not.toContain(keys[0].key);

    const lastKey = await dash.post(`${base}/secret-keys/${keys[0].id}/revoke`);
    expect(lastKey.status).toBe(409);
    expect(await lastKey.text()).toContain("An instance keeps at least one secret key.");

    const created = await dash.post(`${base}/secret-keys`);
    expect(created.status).toBe(200);
    expect(await created.text()).toContain("New secret key created.");
    const two = (await (await foyer.platform(`/instances/${dev.id}/secret_keys`)).json()).data;
    expect(two).toHaveLength(2);
    expect((await dash.post(`${base}/secret-keys/${keys[0].id}/revoke`)).status).toBe(303);
    const after = (await (await foyer.platform(`/instances/${dev.id}/secret_keys`)).json()).data;
    expect(after.map((k: { id: string }) => k.id)).toEqual([two[1].id]);
    const missing = await dash.post(`${base}/secret-keys/sk_nope/revoke`);
    expect(missing.status).toBe(404);
  });

  it("adds and removes allowed origins, accepting only exact origins", async () => {
    const app = await createApp("Origins app");
    const dev = app.instances[0]!;
    const base = `/dashboard/instances/${dev.id}`;
    for (const bad of ["https://app.example.com/path", "*.example.com", "javascript:alert(1)"]) {
      const api = await foyer.platform(`/instances/${dev.id}`, {
        method: "PATCH",
        json: { allowed_origins: [bad] },
      });
      const apiError = (await api.json()).errors[0];
      const res = await dash.post(`${base}/origins`, { origin: bad });
      expect(res.status, bad).toBe(422);
      const html = await res.text();
      expect(unescapeHtml(html)).toContain(apiError.long_message);
      expect(html).toContain('id="origin-error"');
    }
    expect((await dash.post(`${base}/origins`, { origin: "https://App.Example.com" })).status).toBe(303);
    expect((await dash.post(`${base}/origins`, { origin: "http://localhost:5173" })).status).toBe(303);
    const inst = await (await foyer.platform(`/instances/${dev.id}`)).json();
    expect(inst.allowed_origins).toEqual(["https://app.example.com", "http://localhost:5173"]);
    expect((await dash.post(`${base}/origins/remove`, { origin: "https://app.example.com" })).status).toBe(
      303,
    );
    expect((await (await foyer.platform(`/instances/${dev.id}`)).json()).allowed_origins).toEqual([
      "http://localhost:5173",
    ]);
    expect((await dash.post(`${base}/origins/remove`, { origin: "https://never.example" })).status).toBe(404);
  });

  it("answers unknown routes, instances and bad form bodies with an HTML error page, never a 500", async () => {
    const unknown = await dash.get("/dashboard/nope");
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get("content-type")).toContain("text/html");
    expect((await dash.get("/dashboard/instances/ins_missing/api-keys")).status).toBe(404);
    const json = await foyer.request("/dashboard/applications", {
      method: "POST",
      headers: { "content-type": "application/json", cookie: dash.cookie, origin: dash.origin },
      body: JSON.stringify({ _csrf: dash.csrf, name: "json" }),
    });
    expect(json.status).toBe(415);
  });
});
