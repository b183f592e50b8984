import { generateKeyPairSync, type KeyObject, sign } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createJiraHello } from "./app.js";
import { ConfigError, configFromEnv, type JiraHelloOptions } from "./config.js";

// A stand-in for Foyer (JWKS, Backend API token endpoint) and for one Jira site, so the handler's
// decisions are tested without a browser. The newcomer browser test runs the real thing.
const APP = "http://localhost:3002";
const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
let server: Server;
let base: string;
let tokenAnswer: { status: number; body: unknown };
const jiraAuth: string[] = [];
const jiraCalls: string[] = [];

const b64url = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
function sessionToken(claims: Record<string, unknown>, key: KeyObject = privateKey): string {
  const now = Math.floor(Date.now() / 1000);
  const head = `${b64url({ alg: "RS256", kid: "k1", typ: "JWT" })}.${b64url({
    iss: `${base}/fapi/ins_1`,
    sub: "user_1",
    sid: "sess_1",
    azp: APP,
    iat: now,
    exp: now + 60,
    tkn: "session",
    ...claims,
  })}`;
  return `${head}.${sign("sha256", Buffer.from(head), key).toString("base64url")}`;
}

function options(): JiraHelloOptions {
  return {
    publishableKey: `pk_test_${Buffer.from(`${base}/fapi/ins_1$`).toString("base64").replace(/=+$/, "")}`,
    secretKey: "sk_test_example",
    apiUrl: base,
    appUrl: APP,
    port: 3002,
    host: "127.0.0.1",
    jql: "assignee = currentUser() ORDER BY key",
  };
}

/** A Foyer token answer: one account whose sites each carry their own scopes (as Atlassian lists them). */
function account(sites: Array<{ id: string; name: string; scopes: string[] }>) {
  return {
    status: 200,
    body: {
      data: [
        {
          object: "oauth_access_token",
          external_account_id: "eac_1",
          provider_user_id: "557058:1",
          provider: "oauth_atlassian",
          token: "atlassian-access-token",
          scopes: [...new Set(sites.flatMap((s) => s.scopes))],
          expires_at: Math.floor(Date.now() / 1000) + 3600,
          expires_at_ms: Date.now() + 3600_000,
          label: null,
          public_metadata: {},
          status: "active",
          sites: sites.map((s) => ({
            id: s.id,
            cloud_id: s.id,
            url: `https://${s.name.toLowerCase()}.atlassian.net`,
            name: s.name,
            scopes: s.scopes,
            avatar_url: null,
            status: "accessible",
            lost_at: null,
            api_base_urls: { jira: `${base}/ex/jira/${s.id}`, confluence: `${base}/ex/confluence/${s.id}` },
          })),
        },
      ],
      total_count: 1,
    },
  };
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const send = (status: number, body: unknown) =>
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    if (req.url === "/fapi/ins_1/.well-known/jwks.json") {
      return send(200, {
        keys: [{ ...publicKey.export({ format: "jwk" }), kid: "k1", alg: "RS256", use: "sig" }],
      });
    }
    if (req.url?.startsWith("/v1/users/user_1/oauth_access_tokens/oauth_atlassian")) {
      expect(req.headers.authorization).toBe("Bearer sk_test_example");
      return send(tokenAnswer.status, tokenAnswer.body);
    }
    if (req.url?.startsWith("/ex/jira/")) {
      jiraAuth.push(req.headers.authorization ?? "");
      jiraCalls.push(req.url.split("?")[0]!);
      if (req.url.includes("/myself"))
        return send(200, { accountId: "557058:1", displayName: "Ada Lovelace" });
      return send(200, {
        issues: [{ key: "DEMO-1", fields: { summary: "Hello", status: { name: "Done" } } }],
      });
    }
    send(404, {});
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((done) => server.close(() => done())));

const call = (path: string, token?: string, method = "GET") =>
  createJiraHello(options())(
    new Request(`${APP}${path}`, {
      method,
      ...(token ? { headers: { authorization: `Bearer ${token}` } } : {}),
    }),
  );

describe("jira-hello's server", () => {
  it("serves the built React page to everyone, with the publishable key, never the secret key, under a strict CSP", async () => {
    for (const path of ["/", "/account"]) {
      const res = await call(path);
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(html).toContain(`<meta name="foyer-publishable-key" content="${options().publishableKey}">`);
      expect(html).not.toContain("sk_test_");
      const csp = res.headers.get("content-security-policy")!;
      expect(csp.split("; ")).toEqual(
        expect.arrayContaining([
          "default-src 'self'",
          "script-src 'self'",
          `connect-src 'self' ${base}`,
          "style-src 'self'",
        ]),
      );
      // Nothing inline for the CSP to refuse: the script and the stylesheet are files of its own.
      expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>|<style|\sstyle=/);
    }
    const script = /<script type="module" crossorigin src="(\/assets\/[^"]+\.js)"/.exec(
      await (await call("/")).text(),
    );
    const js = await call(script![1]!);
    expect(js.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(js.headers.get("cache-control")).toContain("immutable");
    expect(await js.text()).not.toContain("sk_test_");
  });

  it("serves only the built assets: no dot files, nothing outside dist/web/assets, no other page", async () => {
    for (const path of [
      "/assets/.vite",
      "/assets/..%2f..%2fsrc%2fconfig.ts",
      "/assets/%2e%2e/index.html",
      "/src/config.ts",
      "/assets/missing.js",
      "/elsewhere",
    ]) {
      expect((await call(path)).status, path).toBe(404);
    }
    expect((await call("/", undefined, "POST")).status).toBe(405);
  });

  it("answers /api/atlassian only with a session token minted for its own origin", async () => {
    expect((await call("/api/atlassian")).status).toBe(401);
    const foreign = await call("/api/atlassian", sessionToken({ azp: "https://evil.example" }));
    expect(foreign.status).toBe(401);
    expect(await foreign.json()).toMatchObject({ reason: "token_invalid_authorized_party" });
    const { privateKey: otherKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    expect((await call("/api/atlassian", sessionToken({}, otherKey))).status).toBe(401);
  });

  it("calls Jira with the user's Atlassian token, and on each site only what that site's scopes allow", async () => {
    jiraAuth.length = 0;
    jiraCalls.length = 0;
    tokenAnswer = account([{ id: "cloud-1", name: "Acme", scopes: ["read:jira-user"] }]);
    const without = await (await call("/api/atlassian", sessionToken({}))).json();
    expect(without).toMatchObject({
      status: "connected",
      canSearchIssues: false,
      sites: [
        {
          name: "Acme",
          myself: { ok: true, data: { displayName: "Ada Lovelace" } },
          issues: { ok: false, kind: "no_permission", scope: "read:jira-work" },
        },
      ],
    });
    expect(jiraCalls).toEqual(["/ex/jira/cloud-1/rest/api/3/myself"]);

    // Two sites of one grant: the scope applies on one of them only, so only that one is searched.
    jiraCalls.length = 0;
    tokenAnswer = account([
      { id: "cloud-1", name: "Acme", scopes: ["read:jira-user", "read:jira-work"] },
      { id: "cloud-2", name: "Wiki", scopes: ["read:space:confluence"] },
    ]);
    const withScope = await (await call("/api/atlassian", sessionToken({}))).json();
    expect(withScope.sites[0].issues).toEqual({
      ok: true,
      data: [
        { key: "DEMO-1", summary: "Hello", status: "Done", url: "https://acme.atlassian.net/browse/DEMO-1" },
      ],
    });
    expect(withScope.sites[1]).toMatchObject({
      name: "Wiki",
      myself: { ok: false, kind: "no_permission", scope: "read:jira-user" },
      issues: { ok: false, kind: "no_permission", scope: "read:jira-work" },
    });
    expect(jiraCalls.sort()).toEqual([
      "/ex/jira/cloud-1/rest/api/3/myself",
      "/ex/jira/cloud-1/rest/api/3/search/jql",
    ]);
    expect(new Set(jiraAuth)).toEqual(new Set(["Bearer atlassian-access-token"]));
  });

  it("shows only the active organization's site (the token's o.cloud_id), else every site", async () => {
    tokenAnswer = account([
      { id: "cloud-1", name: "Acme", scopes: ["read:jira-user"] },
      { id: "cloud-2", name: "Globex", scopes: ["read:jira-user"] },
    ]);
    const names = (view: { sites: Array<{ name: string }> }) => view.sites.map((s) => s.name);
    const active = await (
      await call(
        "/api/atlassian",
        sessionToken({ v: 2, o: { id: "org_2", rol: "member", cloud_id: "cloud-2" } }),
      )
    ).json();
    expect(active).toMatchObject({ status: "connected", activeSiteId: "cloud-2" });
    expect(names(active)).toEqual(["Globex"]);
    const none = await (await call("/api/atlassian", sessionToken({}))).json();
    expect(none.activeSiteId).toBeNull();
    expect(names(none)).toEqual(["Acme", "Globex"]);
    // An organization whose site the grant no longer reaches: every site rather than nothing.
    const gone = await (
      await call(
        "/api/atlassian",
        sessionToken({ v: 2, o: { id: "org_9", rol: "member", cloud_id: "cloud-9" } }),
      )
    ).json();
    expect(gone.activeSiteId).toBeNull();
    expect(names(gone)).toEqual(["Acme", "Globex"]);
  });

  it("turns oauth_reauthorization_required into 'reconnect', and an outage into 'unavailable'", async () => {
    tokenAnswer = {
      status: 409,
      body: { errors: [{ code: "oauth_reauthorization_required", message: "Reconnect." }] },
    };
    expect(await (await call("/api/atlassian", sessionToken({}))).json()).toEqual({
      status: "reauthorization_required",
    });
    tokenAnswer = {
      status: 503,
      body: { errors: [{ code: "oauth_provider_unavailable", message: "Down." }] },
    };
    expect(await (await call("/api/atlassian", sessionToken({}))).json()).toMatchObject({
      status: "unavailable",
    });
  });
});

describe("configFromEnv", () => {
  it("lists every problem at once", () => {
    expect(() => configFromEnv({ PORT: "x" })).toThrow(ConfigError);
    try {
      configFromEnv({ PORT: "x" });
    } catch (err) {
      expect((err as ConfigError).problems).toHaveLength(4);
    }
  });

  it("defaults to port 3002 and its own localhost origin", () => {
    const config = configFromEnv({
      FOYER_PUBLISHABLE_KEY: "pk_test_abc",
      FOYER_SECRET_KEY: "sk_test_abc",
      FOYER_API_URL: "https://foyer.example.com/",
    });
    expect(config).toMatchObject({
      port: 3002,
      appUrl: "http://localhost:3002",
      apiUrl: "https://foyer.example.com",
    });
  });
});
