import { createServer, type IncomingMessage } from "node:http";
import {
  type AuthState,
  authenticateNodeRequest,
  authenticateRequest,
  type FoyerExpressRequest,
  type FoyerHonoEnv,
  foyerExpress,
  foyerHono,
} from "@foyer/backend";
import {
  createTestFoyer,
  createTestInstance,
  DB_KINDS,
  mintFor,
  type TestFoyer,
  type TestInstance,
} from "@foyer/testkit/backend-sdk";
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

describe.each(DB_KINDS)("authenticateRequest and middleware (%s)", (kind) => {
  let foyer: TestFoyer;
  let t: TestInstance;
  let pem: string;
  const app = "https://app.example.com";

  beforeAll(async () => {
    foyer = await createTestFoyer(kind);
    t = await createTestInstance(foyer, { allowedOrigins: [app] });
    pem = await t.publicKeyPem();
  });
  afterAll(() => foyer.close());

  const opts = () => ({ jwtKey: pem, authorizedParties: [app], now: foyer.svc.now });

  it("reads a Bearer token first, else the __session cookie", async () => {
    const s = await mintFor(foyer, t, { origin: app });
    const bearer = await authenticateRequest(
      new Request("https://app.example.com/api", { headers: { authorization: `Bearer ${s.jwt}` } }),
      opts(),
    );
    expect(bearer).toMatchObject({ status: "signed-in", userId: s.userId, sessionId: s.sessionId });
    const cookie = await authenticateRequest(
      new Request("https://app.example.com/", { headers: { cookie: `theme=dark; __session=${s.jwt}; x=1` } }),
      opts(),
    );
    expect(cookie).toMatchObject({ status: "signed-in", sessionId: s.sessionId });
    const missing = await authenticateRequest(new Request("https://app.example.com/"), opts());
    expect(missing).toEqual({ status: "signed-out", reason: "session_token_missing" });
    const bad = await authenticateRequest(
      new Request("https://app.example.com/", { headers: { authorization: "Bearer not.a.token" } }),
      opts(),
    );
    expect(bad).toEqual({ status: "signed-out", reason: "token_malformed" });
  });

  it("is signed out when authorizedParties are set and the token names no azp", async () => {
    const s = await mintFor(foyer, t);
    const res = await authenticateRequest(
      new Request("https://app.example.com/", { headers: { authorization: `Bearer ${s.jwt}` } }),
      opts(),
    );
    expect(res).toEqual({ status: "signed-out", reason: "token_invalid_authorized_party" });
  });

  it("is signed out once the token expires, with the reason", async () => {
    const s = await mintFor(foyer, t);
    const later = await authenticateRequest(
      new Request("https://app.example.com/", { headers: { authorization: `Bearer ${s.jwt}` } }),
      { jwtKey: pem, now: () => foyer.svc.now() + 65_000 },
    );
    expect(later).toEqual({ status: "signed-out", reason: "token_expired" });
  });

  it("throws when misconfigured rather than signing everyone out", async () => {
    const s = await mintFor(foyer, t);
    await expect(
      authenticateRequest(
        new Request("https://a.test/", { headers: { authorization: `Bearer ${s.jwt}` } }),
        {},
      ),
    ).rejects.toMatchObject({ code: "verifier_misconfigured" });
    expect(() => foyerHono({})).toThrow();
    expect(() => foyerExpress({ jwtKey: "nope" })).toThrow();
  });

  it("sets c.var.auth in Hono", async () => {
    const s = await mintFor(foyer, t, { origin: app });
    const h = new Hono<FoyerHonoEnv>();
    h.use("*", foyerHono(opts()));
    h.get("/me", (c) => {
      const auth = c.get("auth");
      return auth.status === "signed-in"
        ? c.json({ user: auth.userId })
        : c.json({ reason: auth.reason }, 401);
    });
    const ok = await h.request("/me", { headers: { authorization: `Bearer ${s.jwt}` } });
    expect(await ok.json()).toEqual({ user: s.userId });
    const no = await h.request("/me");
    expect(no.status).toBe(401);
  });

  it("sets req.auth in Express-style middleware and works on plain node:http", async () => {
    const s = await mintFor(foyer, t, { origin: app });
    const mw = foyerExpress(opts());
    const server = createServer((req, res) => {
      const done = (auth: AuthState) => {
        res.setHeader("content-type", "application/json");
        res.end(
          JSON.stringify(auth.status === "signed-in" ? { user: auth.userId } : { reason: auth.reason }),
        );
      };
      if (req.url === "/express") {
        mw(req, res, (err?: unknown) => {
          if (err) {
            res.statusCode = 500;
            res.end();
          } else done((req as FoyerExpressRequest).auth);
        });
      } else {
        authenticateNodeRequest(req as IncomingMessage, opts()).then(done);
      }
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    try {
      for (const path of ["/express", "/node"]) {
        const ok = await fetch(base + path, { headers: { cookie: `__session=${s.jwt}` } });
        expect(await ok.json()).toEqual({ user: s.userId });
        const no = await fetch(base + path);
        expect(await no.json()).toEqual({ reason: "session_token_missing" });
      }
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
