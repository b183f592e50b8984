/**
 * OpenID Connect from the same core, checked by a certified relying-party library
 * (openid-client 6): discovery, the code flow with PKCE and `iss` in the response, the ID token,
 * and userinfo with `sub` = the Foyer user id.
 */
import { authorize, registerOAuthApplication, signedInBrowser } from "@foyer/testkit/authorization-server";
import { DB_KINDS } from "@foyer/testkit/databases";
import { createEmulatedFoyer, type EmulatedFoyer } from "@foyer/testkit/emulated-foyer";
import { createTestInstance, signInTestUser, type TestInstance } from "@foyer/testkit/instances";
import * as oidc from "openid-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

describe.each(DB_KINDS)("openid-client against an instance (%s)", (kind) => {
  let foyer: EmulatedFoyer;
  let t: TestInstance;
  beforeAll(async () => {
    foyer = await createEmulatedFoyer(kind, { listen: true });
    t = await createTestInstance(foyer);
  });
  afterAll(() => foyer.close());

  it("discovers the instance, signs in with the code flow and reads userinfo", async () => {
    const redirectUri = "http://127.0.0.1:9/oidc-cb";
    const client = await registerOAuthApplication(foyer, t.id, {
      name: "OIDC app",
      redirect_uris: [redirectUri],
    });
    const config = await oidc.discovery(
      new URL(t.instance.frontend_api_url),
      client.client_id,
      undefined,
      oidc.ClientSecretBasic(client.client_secret!),
      { execute: [oidc.allowInsecureRequests] },
    );
    expect(config.serverMetadata().issuer).toBe(t.instance.frontend_api_url);

    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: "openid profile email",
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: "S256",
      state,
    });
    const s = await signInTestUser(foyer, t.instance);
    const outcome = await authorize(signedInBrowser(t, s.clientToken), url.href, redirectUri);
    expect(outcome.consentPages).toHaveLength(1);

    const tokens = await oidc.authorizationCodeGrant(config, outcome.callback!, {
      pkceCodeVerifier: verifier,
      expectedState: state,
    });
    const claims = tokens.claims()!;
    expect(claims.sub).toBe(s.user.id);
    expect(claims.iss).toBe(t.instance.frontend_api_url);
    expect(claims.aud).toBe(client.client_id);

    const info = await oidc.fetchUserInfo(config, tokens.access_token, s.user.id);
    expect(info).toMatchObject({ sub: s.user.id, name: "Ada Lovelace" });
    // Foyer has no email for this user: none is made up.
    expect(info.email).toBeUndefined();
  });
});
