import { TokenVerificationError, verifyToken } from "@foyer/backend";
import {
  appFetch,
  createTestFoyer,
  createTestInstance,
  DB_KINDS,
  mintFor,
  type TestFoyer,
} from "@foyer/testkit/backend-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

describe.each(DB_KINDS)("JWKS fetching and caching (%s)", (kind) => {
  let foyer: TestFoyer;
  beforeAll(async () => {
    foyer = await createTestFoyer(kind);
  });
  afterAll(() => foyer.close());

  const counting = () => {
    const urls: string[] = [];
    const inner = appFetch(foyer);
    const fetch: typeof globalThis.fetch = (input, init) => {
      urls.push(String(input));
      return inner(input, init);
    };
    return { urls, fetch };
  };

  it("fetches the JWKS once and verifies from the cache afterwards", async () => {
    const t = await createTestInstance(foyer);
    const { urls, fetch } = counting();
    for (let i = 0; i < 5; i++) {
      const { jwt } = await mintFor(foyer, t);
      await verifyToken(jwt, { publishableKey: t.publishableKey, fetch, now: foyer.svc.now });
    }
    expect(urls).toEqual([`${t.instance.frontend_api_url}/.well-known/jwks.json`]);
  });

  it("refetches at most once per unknown kid, rate-limited, and picks up a rotation", async () => {
    const t = await createTestInstance(foyer);
    const { urls, fetch } = counting();
    // The verifier's own clock, moved by hand: the rate-limit window must not depend on how
    // fast this machine mints and rotates (real time only ever lags behind it here).
    let clock = Date.now();
    const pass = (ms: number) => {
      clock += ms;
    };
    const opts = { publishableKey: t.publishableKey, fetch, now: () => clock };
    const first = await mintFor(foyer, t);
    await verifyToken(first.jwt, opts);
    expect(urls).toHaveLength(1);

    await foyer.platform(`/instances/${t.instance.id}/signing_keys/rotate`, { method: "POST" });
    const rotated = await mintFor(foyer, t);
    // Within the rate-limit window the new kid is not fetched for...
    await expect(verifyToken(rotated.jwt, opts)).rejects.toMatchObject({ code: "token_unknown_kid" });
    expect(urls).toHaveLength(1);
    pass(1100);
    // ...after it, one refetch finds it, and the old token still verifies (grace period).
    await expect(verifyToken(rotated.jwt, opts)).resolves.toBeTruthy();
    await expect(verifyToken(first.jwt, opts)).resolves.toBeTruthy();
    expect(urls).toHaveLength(2);

    // A made-up kid causes one refetch, then never another.
    const [h, p, s] = rotated.jwt.split(".") as [string, string, string];
    const header = JSON.parse(Buffer.from(h, "base64url").toString());
    const forged = `${Buffer.from(JSON.stringify({ ...header, kid: "ins_key_madeup" })).toString("base64url")}.${p}.${s}`;
    pass(1100);
    for (let i = 0; i < 3; i++) {
      await expect(verifyToken(forged, opts)).rejects.toMatchObject({ code: "token_unknown_kid" });
    }
    pass(1100);
    await expect(verifyToken(forged, opts)).rejects.toMatchObject({ code: "token_unknown_kid" });
    expect(urls).toHaveLength(3);
  });

  it("answers jwks_unavailable when the JWKS cannot be fetched", async () => {
    const t = await mintFor(foyer, await createTestInstance(foyer));
    const down: typeof fetch = async () => new Response("nope", { status: 503 });
    const err = await verifyToken(t.jwt, {
      frontendApiUrl: "https://down.example.test",
      fetch: down,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TokenVerificationError);
    expect((err as TokenVerificationError).code).toBe("jwks_unavailable");
    const html: typeof fetch = async () => new Response("<html>", { status: 200 });
    await expect(
      verifyToken(t.jwt, { frontendApiUrl: "https://html.example.test", fetch: html }),
    ).rejects.toMatchObject({ code: "jwks_unavailable" });
  });

  it("sends the secret key only to the Backend API JWKS, in the Authorization header", async () => {
    const t = await createTestInstance(foyer);
    const seen: Array<{ url: string; auth: string | null }> = [];
    const inner = appFetch(foyer);
    const fetch: typeof globalThis.fetch = (input, init) => {
      seen.push({ url: String(input), auth: new Headers(init?.headers).get("authorization") });
      return inner(input, init);
    };
    const { jwt } = await mintFor(foyer, t);
    await verifyToken(jwt, { secretKey: t.secretKey, apiUrl: `${foyer.svc.config.publicUrl}/`, fetch });
    await verifyToken(jwt, { publishableKey: t.publishableKey, fetch });
    expect(seen).toEqual([
      { url: `${foyer.svc.config.publicUrl}/v1/jwks`, auth: `Bearer ${t.secretKey}` },
      { url: `${t.instance.frontend_api_url}/.well-known/jwks.json`, auth: null },
    ]);
  });
});
