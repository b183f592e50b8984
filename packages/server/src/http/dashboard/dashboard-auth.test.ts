import {
  clientFor,
  formBody,
  openSignInForm,
  publicOrigin,
  setCookieLine,
  setCookieValue,
  signInToDashboard,
} from "@foyer/testkit/dashboard-client";
import { DB_KINDS } from "@foyer/testkit/databases";
import { createTestFoyer, type TestFoyer } from "@foyer/testkit/harness";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sha256Hex } from "../../crypto/random.js";
import { DASHBOARD_SESSION_TTL_MS } from "../../operators/dashboard-sessions.js";
import { dashboardUrl } from "./url.js";

describe.each(DB_KINDS)("dashboard sign-in, sessions and CSRF (%s)", (kind) => {
  let foyer: TestFoyer;
  beforeAll(async () => {
    foyer = await createTestFoyer(kind);
  });
  afterAll(() => foyer.close());

  const signInPost = (fields: Record<string, string>, headers: Record<string, string>) =>
    foyer.request("/dashboard/sign-in", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
      body: formBody(fields),
    });

  it("gives the dashboard URL under the public URL", () => {
    expect(dashboardUrl("https://auth.example.com/")).toBe("https://auth.example.com/dashboard");
  });

  it("sends visitors without a session to the sign-in page", async () => {
    for (const path of ["/dashboard", "/dashboard/instances/ins_x/api-keys"]) {
      const res = await foyer.request(path);
      expect(res.status).toBe(303);
      expect(res.headers.get("location")).toBe("/dashboard/sign-in");
    }
    const post = await foyer.request("/dashboard/applications", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: publicOrigin(foyer) },
      body: "name=x",
    });
    expect(post.status).toBe(303);
    expect((await foyer.platform("/applications").then((r) => r.json())).data).toHaveLength(0);
  });

  it("serves pages with a strict CSP, no framing and no caching", async () => {
    const res = await foyer.request("/dashboard/sign-in");
    expect(res.status).toBe(200);
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain("unsafe-inline");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("cache-control")).toBe("no-store");
    const html = await res.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)/);
    expect(html).not.toMatch(/https?:\/\/(?!foyer\.test)[^"]*\.(css|js)/);
    const css = await foyer.request("/dashboard/assets/dashboard.css");
    expect(css.headers.get("content-type")).toContain("text/css");
    const js = await foyer.request("/dashboard/assets/dashboard.js");
    expect(js.headers.get("content-type")).toContain("text/javascript");
  });

  it("signs in with the platform token and sets a strict, HttpOnly, path-scoped cookie", async () => {
    const form = await openSignInForm(foyer);
    const res = await signInPost(
      { _csrf: form.formToken, platform_token: foyer.platformToken },
      { cookie: form.cookie, origin: publicOrigin(foyer) },
    );
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/dashboard");
    const line = setCookieLine(res, "foyer_dashboard") ?? "";
    expect(line).toContain("HttpOnly");
    expect(line).toContain("SameSite=Strict");
    expect(line).toContain("Path=/dashboard");
    // http://foyer.test is not a loopback host: the cookie must be Secure.
    expect(line).toContain("Secure");
    const token = setCookieValue(res, "foyer_dashboard")!;
    const rows = await foyer.svc.db.kysely.selectFrom("dashboard_sessions").selectAll().execute();
    expect(rows.map((r) => r.id_hash)).toContain(sha256Hex(token));
    expect(rows.map((r) => r.id_hash)).not.toContain(token);
    const page = await foyer.request("/dashboard", { headers: { cookie: `foyer_dashboard=${token}` } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Applications");
  });

  it("refuses a wrong or empty platform token without creating a session", async () => {
    for (const token of ["wrong", `${foyer.platformToken}x`, ""]) {
      const form = await openSignInForm(foyer);
      const res = await signInPost(
        { _csrf: form.formToken, platform_token: token },
        { cookie: form.cookie, origin: publicOrigin(foyer) },
      );
      expect(res.status, token).toBe(401);
      expect(setCookieValue(res, "foyer_dashboard")).toBeUndefined();
      const html = await res.text();
      expect(html).toContain("The platform token is missing or wrong.");
      expect(html).toContain('aria-invalid="true"');
    }
    const before = await foyer.svc.db.kysely.selectFrom("dashboard_sessions").select("id_hash").execute();
    await expect(signInToDashboard(foyer, "nope")).rejects.toThrow(/401/);
    const after = await foyer.svc.db.kysely.selectFrom("dashboard_sessions").select("id_hash").execute();
    expect(after).toHaveLength(before.length);
  });

  it("refuses a sign-in without the form's CSRF token or from another origin", async () => {
    const form = await openSignInForm(foyer);
    const origin = publicOrigin(foyer);
    const good = { _csrf: form.formToken, platform_token: foyer.platformToken };
    const cases: Array<[Record<string, string>, Record<string, string>, string]> = [
      [{ platform_token: foyer.platformToken }, { cookie: form.cookie, origin }, "csrf_token_invalid"],
      [good, { origin }, "csrf_token_invalid"],
      [{ ...good, _csrf: "forged" }, { cookie: form.cookie, origin }, "csrf_token_invalid"],
      [good, { cookie: form.cookie, origin: "https://evil.example" }, "cross_site_request_refused"],
      [good, { cookie: form.cookie }, "cross_site_request_refused"],
      [
        good,
        { cookie: form.cookie, origin: "null", "sec-fetch-site": "cross-site" },
        "cross_site_request_refused",
      ],
    ];
    for (const [fields, headers, code] of cases) {
      const res = await signInPost(fields, headers);
      expect(res.status, code).toBe(403);
      expect(await res.text()).toContain(code);
      expect(setCookieValue(res, "foyer_dashboard")).toBeUndefined();
    }
    // A browser that hides Origin still proves same-origin with Sec-Fetch-Site.
    const ok = await signInPost(good, {
      cookie: form.cookie,
      origin: "null",
      "sec-fetch-site": "same-origin",
    });
    expect(ok.status).toBe(303);
  });

  it("refuses a form post without the session's CSRF token, and changes nothing", async () => {
    const client = await signInToDashboard(foyer);
    const other = await signInToDashboard(foyer);
    expect(other.csrf).not.toBe(client.csrf);
    const count = async () => (await foyer.platform("/applications").then((r) => r.json())).data.length;
    const before = await count();
    for (const csrf of [null, "", "forged", other.csrf]) {
      const res = await client.post("/dashboard/applications", { name: "Sneaky" }, { csrf });
      expect(res.status, String(csrf)).toBe(403);
      expect(await res.text()).toContain("csrf_token_invalid");
    }
    const crossSite = await client.post(
      "/dashboard/applications",
      { name: "Sneaky" },
      { origin: "https://evil.example" },
    );
    expect(crossSite.status).toBe(403);
    expect(await count()).toBe(before);
    const ok = await client.post("/dashboard/applications", { name: "Legit" });
    expect(ok.status).toBe(303);
    expect(await count()).toBe(before + 1);
  });

  it("shares sessions between Foyer processes, and sign-out ends them everywhere", async () => {
    const second = await createTestFoyer(kind, {
      database: foyer.database,
      encryptionKey: foyer.encryptionKey,
      platformToken: foyer.platformToken,
    });
    try {
      const client = await signInToDashboard(foyer);
      const elsewhere = await clientFor(second, client.cookie);
      expect((await elsewhere.get("/dashboard")).status).toBe(200);
      expect(elsewhere.csrf).toBe(client.csrf);

      const out = await elsewhere.post("/dashboard/sign-out");
      expect(out.status).toBe(303);
      expect(out.headers.get("location")).toBe("/dashboard/sign-in");
      expect(setCookieLine(out, "foyer_dashboard")).toMatch(/Max-Age=0/);
      expect((await client.get("/dashboard")).status).toBe(303);
      expect((await client.post("/dashboard/applications", { name: "After sign-out" })).status).toBe(303);
    } finally {
      await second.close();
    }
  });

  it("ends sessions opened with a platform token that has since been rotated", async () => {
    const client = await signInToDashboard(foyer);
    // The same deployment restarted with a new FOYER_PLATFORM_TOKEN (say, the old one leaked).
    const rotated = await createTestFoyer(kind, {
      database: foyer.database,
      encryptionKey: foyer.encryptionKey,
    });
    try {
      expect(rotated.platformToken).not.toBe(foyer.platformToken);
      const res = await rotated.request("/dashboard", { headers: { cookie: client.cookie } });
      expect(res.status).toBe(303);
      expect(res.headers.get("location")).toBe("/dashboard/sign-in");
    } finally {
      await rotated.close();
    }
    expect((await client.get("/dashboard")).status).toBe(200);
  });

  it("expires sessions after their lifetime", async () => {
    const client = await signInToDashboard(foyer);
    expect((await client.get("/dashboard")).status).toBe(200);
    foyer.advance(DASHBOARD_SESSION_TTL_MS + 1000);
    expect((await client.get("/dashboard")).status).toBe(303);
  });

  it("never logs the platform token, session cookie or CSRF token", async () => {
    const client = await signInToDashboard(foyer);
    await client.post("/dashboard/applications", { name: "Logged?" });
    const logs = foyer.logs();
    expect(logs).toContain("dashboard_signed_in");
    expect(logs).toContain("dashboard_sign_in_refused");
    expect(logs).not.toContain(foyer.platformToken);
    expect(logs).not.toContain(client.cookie.split("=")[1]!);
    expect(logs).not.toContain(client.csrf);
  });
});

describe("dashboard cookie on a loopback http URL", () => {
  it("is not Secure, so a local trial over plain http works", async () => {
    const foyer = await createTestFoyer("sqlite", { env: { FOYER_PUBLIC_URL: "http://127.0.0.1:4999" } });
    try {
      const form = await openSignInForm(foyer);
      const res = await foyer.request("http://127.0.0.1:4999/dashboard/sign-in", {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          cookie: form.cookie,
          origin: "http://127.0.0.1:4999",
        },
        body: formBody({ _csrf: form.formToken, platform_token: foyer.platformToken }),
      });
      expect(res.status).toBe(303);
      const line = setCookieLine(res, "foyer_dashboard") ?? "";
      expect(line).toContain("HttpOnly");
      expect(line).not.toContain("Secure");
    } finally {
      await foyer.close();
    }
  });
});
