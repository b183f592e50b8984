/**
 * `user.getOAuthConsents()` and `user.revokeOAuthConsent()` against a real Frontend API, with an
 * approval made through the instance's authorization server: listed with the client's name and
 * host, and withdrawn so that the client's refresh token is refused.
 */
import { Foyer } from "@foyer/js";
import { codeFlow, exchangeCode, tokenRequest } from "@foyer/testkit/authorization-server";
import { DB_KINDS } from "@foyer/testkit/databases";
import { createEmulatedFoyer, type EmulatedFoyer } from "@foyer/testkit/emulated-foyer";
import {
  createTestInstance,
  type SignedIn,
  signInTestUser,
  type TestInstance,
} from "@foyer/testkit/instances";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const APP = "https://app.example.com";

/** The SDK's fetch, as a browser on APP holding the user's client cookie would send it. */
function browserFetch(foyer: EmulatedFoyer, signedIn: SignedIn, log: string[]): typeof fetch {
  return async (input, init) => {
    const headers = new Headers(init?.headers);
    headers.set("cookie", `__client=${signedIn.clientToken}`);
    headers.set("origin", APP);
    const req = new Request(input, { ...init, headers });
    log.push(`${req.method} ${new URL(req.url).pathname.replace(/^\/fapi\/[^/]+/, "")}`);
    return foyer.app.fetch(req);
  };
}

describe.each(DB_KINDS)("@foyer/js user OAuth consents (%s)", (kind) => {
  let foyer: EmulatedFoyer;
  let t: TestInstance;
  beforeAll(async () => {
    foyer = await createEmulatedFoyer(kind, { listen: true });
    t = await createTestInstance(foyer, { allowedOrigins: [APP] });
  });
  afterAll(() => foyer?.close());

  it("lists the approved clients and revokes one: its refresh token is refused", async () => {
    const s = await signInTestUser(foyer, t.instance);
    const flow = await codeFlow(foyer, t, {
      clientToken: s.clientToken,
      scope: "openid profile offline_access",
    });
    const tokens = await exchangeCode(t, flow);
    const other = await codeFlow(foyer, t, { jar: flow.jar });
    expect(other.outcome.callback?.searchParams.get("code")).toBeTruthy();
    const log: string[] = [];
    const sdk = new Foyer(t.publishableKey, { fetch: browserFetch(foyer, s, log) });
    await sdk.load();
    const consents = await sdk.user!.getOAuthConsents();
    expect(consents).toHaveLength(2);
    const mine = consents.find((c) => c.client_id === flow.client.client_id)!;
    expect(mine).toMatchObject({
      object: "oauth_consent",
      client_name: "Test client",
      client_host: "127.0.0.1:9",
      scopes: ["openid", "profile"],
    });
    await sdk.user!.revokeOAuthConsent(flow.client.client_id);
    expect(log).toContain(`DELETE /v1/me/oauth_consents/${flow.client.client_id}`);
    const refresh = await tokenRequest(t.instance.frontend_api_url, flow.client, {
      grant_type: "refresh_token",
      refresh_token: tokens.body.refresh_token as string,
    });
    expect(refresh.body.error).toBe("invalid_grant");
    // The other approval stays, and its own revoke() ends it.
    const left = await sdk.user!.getOAuthConsents();
    expect(left.map((c) => c.client_id)).toEqual([other.client.client_id]);
    await left[0]!.revoke();
    expect(await sdk.user!.getOAuthConsents()).toEqual([]);
    await expect(sdk.user!.revokeOAuthConsent(flow.client.client_id)).rejects.toMatchObject({
      code: "resource_not_found",
    });
    sdk.destroy();
  });
});
