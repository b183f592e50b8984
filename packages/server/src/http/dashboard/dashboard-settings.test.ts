/**
 * The dashboard's instance settings (session lifetime and inactivity timeout, after-sign-in URL,
 * allowed origins) and signing-key rotation: validated by the Platform API's own schema, refused
 * in words, CSRF-protected like every dashboard form, versioned like the API.
 */
import { type DashboardClient, signInToDashboard, unescapeHtml } from "@foyer/testkit/dashboard-client";
import { DB_KINDS } from "@foyer/testkit/databases";
import { createTestFoyer, type TestFoyer } from "@foyer/testkit/harness";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

describe.each(DB_KINDS)("dashboard settings (%s)", (kind) => {
  let foyer: TestFoyer;
  let dash: DashboardClient;
  beforeAll(async () => {
    foyer = await createTestFoyer(kind);
    dash = await signInToDashboard(foyer);
  });
  afterAll(() => foyer.close());

  async function devInstance(): Promise<string> {
    const app = await (
      await foyer.platform("/applications", { method: "POST", json: { name: "Settings" } })
    ).json();
    return app.instances[0].id;
  }
  const instanceJson = async (id: string) => (await foyer.platform(`/instances/${id}`)).json();
  const versionOn = (html: string) => /name="version" value="(\d+)"/.exec(html)?.[1] ?? "";

  it("saves session lifetime, inactivity timeout and after-sign-in URL", async () => {
    const id = await devInstance();
    const path = `/dashboard/instances/${id}/settings`;
    const form = await dash.html(path);
    expect(form).toContain('name="session_max_lifetime_seconds" value="604800"');
    expect(form).toContain("now 7 days");
    const saved = await dash.post(path, {
      version: versionOn(form),
      session_max_lifetime_seconds: "86400",
      session_inactivity_timeout_seconds: "1800",
      after_sign_in_url: "http://localhost:5173/home",
    });
    expect(saved.status).toBe(303);
    expect(saved.headers.get("location")).toBe(`${path}?notice=settings_saved`);
    expect(await instanceJson(id)).toMatchObject({
      session_max_lifetime_seconds: 86400,
      session_inactivity_timeout_seconds: 1800,
      after_sign_in_url: "http://localhost:5173/home",
    });
    expect(await dash.html(`${path}?notice=settings_saved`)).toContain("now 1 day");
    expect(form).toContain('name="reverification_max_age_seconds" value="600"');
    const reverification = await dash.post(path, {
      version: versionOn(await dash.html(path)),
      session_max_lifetime_seconds: "86400",
      session_inactivity_timeout_seconds: "1800",
      after_sign_in_url: "http://localhost:5173/home",
      reverification_max_age_seconds: "1200",
    });
    expect(reverification.status).toBe(303);
    expect(await instanceJson(id)).toMatchObject({ reverification_max_age_seconds: 1200 });

    // Empty optional fields clear them.
    const cleared = await dash.post(path, {
      version: versionOn(await dash.html(path)),
      session_max_lifetime_seconds: "86400",
      session_inactivity_timeout_seconds: "",
      after_sign_in_url: "",
    });
    expect(cleared.status).toBe(303);
    expect(await instanceJson(id)).toMatchObject({
      session_inactivity_timeout_seconds: null,
      after_sign_in_url: null,
    });
  });

  it("refuses bad values in the words the Platform API uses, saving nothing", async () => {
    const id = await devInstance();
    const path = `/dashboard/instances/${id}/settings`;
    const cases: Array<[Record<string, string>, string, string]> = [
      [
        { session_max_lifetime_seconds: "abc" },
        "session_max_lifetime_seconds",
        "must be a whole number of seconds",
      ],
      [
        { session_max_lifetime_seconds: "100" },
        "session_max_lifetime_seconds",
        "must be at least 300 seconds",
      ],
      [
        { session_max_lifetime_seconds: "3600", session_inactivity_timeout_seconds: "5" },
        "session_inactivity_timeout_seconds",
        "must be at least 60 seconds",
      ],
      [
        { session_max_lifetime_seconds: "3600", reverification_max_age_seconds: "10" },
        "reverification_max_age_seconds",
        "must be at least 60 seconds",
      ],
      [
        { session_max_lifetime_seconds: "3600", after_sign_in_url: "javascript:alert(1)" },
        "after_sign_in_url",
        "must be a full http(s) URL",
      ],
    ];
    for (const [fields, name, words] of cases) {
      const api = await foyer.platform(`/instances/${id}`, {
        method: "PATCH",
        json: Object.fromEntries(
          Object.entries(fields).map(([k, v]) => [k, /^\d+$/.test(v) ? Number(v) : v]),
        ),
      });
      expect(api.status, name).toBe(422);
      const apiMessage = (await api.json()).errors[0].long_message as string;
      expect(apiMessage).toContain(words);

      const res = await dash.post(path, { version: versionOn(await dash.html(path)), ...fields });
      expect(res.status, name).toBe(422);
      const html = unescapeHtml(await res.text());
      expect(html).toContain(apiMessage);
      expect(html).toContain(`id="${name}-error"`);
      // The field keeps what was typed and is marked invalid.
      const input = new RegExp(`<input[^>]*id="${name}"[^>]*>`).exec(html)?.[0] ?? "";
      expect(input).toContain(`value="${fields[name]}"`);
      expect(input).toContain('aria-invalid="true"');
    }
    expect((await instanceJson(id)).session_max_lifetime_seconds).toBe(604800);
  });

  it("refuses a save over someone else's, and a form without the CSRF token", async () => {
    const id = await devInstance();
    const path = `/dashboard/instances/${id}/settings`;
    const stale = versionOn(await dash.html(path));
    await foyer.platform(`/instances/${id}`, {
      method: "PATCH",
      json: { session_max_lifetime_seconds: 3600 },
    });
    const conflict = await dash.post(path, { version: stale, session_max_lifetime_seconds: "7200" });
    expect(conflict.status).toBe(409);
    expect(unescapeHtml(await conflict.text())).toContain(
      "Someone else saved these settings while you were editing; reload to see their change",
    );
    expect((await instanceJson(id)).session_max_lifetime_seconds).toBe(3600);

    const fresh = versionOn(await dash.html(path));
    for (const csrf of [null, "forged"]) {
      const res = await dash.post(path, { version: fresh, session_max_lifetime_seconds: "7200" }, { csrf });
      expect(res.status).toBe(403);
    }
    expect((await instanceJson(id)).session_max_lifetime_seconds).toBe(3600);
  });

  it("adds allowed origins through the Platform API's schema, on the settings page", async () => {
    const id = await devInstance();
    const base = `/dashboard/instances/${id}`;
    expect(await dash.html(`${base}/settings`)).toContain('action="/dashboard/instances/' + id + '/origins"');
    const added = await dash.post(`${base}/origins`, { origin: "https://app.example.com" });
    expect(added.headers.get("location")).toBe(`${base}/settings?notice=origin_added`);
    const tooLong = await dash.post(`${base}/origins`, { origin: `https://${"a".repeat(300)}.example` });
    expect(tooLong.status).toBe(422);
    expect(await tooLong.text()).toContain('id="origin-error"');
    expect((await instanceJson(id)).allowed_origins).toEqual(["https://app.example.com"]);
  });

  it("rotates the signing key from the API keys page, only with the CSRF token", async () => {
    const id = await devInstance();
    const base = `/dashboard/instances/${id}`;
    const page = await dash.html(`${base}/api-keys`);
    expect(page).toContain(`action="${base}/signing-keys/rotate"`);
    expect(page).toContain('data-confirm="Rotate the signing key?');
    const jwks = async () =>
      (await (await foyer.request(`/fapi/${id}/.well-known/jwks.json`)).json()).keys.map(
        (k: { kid: string }) => k.kid,
      );
    const before = await jwks();
    expect(before).toHaveLength(1);

    for (const csrf of [null, "forged"]) {
      expect((await dash.post(`${base}/signing-keys/rotate`, {}, { csrf })).status).toBe(403);
    }
    expect(
      (await dash.post(`${base}/signing-keys/rotate`, {}, { origin: "https://evil.example" })).status,
    ).toBe(403);
    expect(await jwks()).toEqual(before);

    const rotated = await dash.post(`${base}/signing-keys/rotate`);
    expect(rotated.status).toBe(303);
    expect(rotated.headers.get("location")).toBe(`${base}/api-keys?notice=signing_key_rotated`);
    const after = await jwks();
    // The new key signs; the old one stays published through the grace period.
    expect(after).toHaveLength(2);
    expect(after).toContain(before[0]);
    expect(await dash.html(`${base}/api-keys?notice=signing_key_rotated`)).toContain("Signing key rotated");
  });
});
