import { createFoyerClient } from "@foyer/backend";
import {
  DEMO_IDS,
  newEmulatorAccount,
  seedAtlassianUser,
  startTokenEmulator,
  type TokenEmulator,
} from "@foyer/testkit/atlassian-user";
import {
  appFetch,
  createTestFoyer,
  createTestInstance,
  DB_KINDS,
  type TestFoyer,
  type TestInstance,
} from "@foyer/testkit/backend-sdk";
import { type LocalIssuer, startLocalIssuer } from "@foyer/testkit/local-issuer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AtlassianReconnectRequired, atlassianAccess } from "./atlassian-for.js";
import { createAccessTokenVerifier, type FoyerAuthInfo } from "./verify-access-token.js";

const RESOURCE = "http://127.0.0.1:3005/mcp";

/**
 * atlassianFor against a real Foyer (Backend API through appFetch) and the emulator's real tokens.
 * The MCP token is a real signed access token of a loopback issuer, verified as a tool would get it.
 */
describe.each(DB_KINDS)("atlassianFor (%s)", (kind) => {
  let te: TokenEmulator;
  let foyer: TestFoyer;
  let t: TestInstance;
  let as: LocalIssuer;

  beforeAll(async () => {
    te = await startTokenEmulator();
    foyer = await createTestFoyer(kind, { atlassian: te.atlassian });
    t = await createTestInstance(foyer);
    as = await startLocalIssuer();
  });
  afterAll(async () => {
    await foyer?.close();
    await te?.emulator.close();
    await as?.close();
  });

  const access = () => {
    const client = createFoyerClient({
      secretKey: t.secretKey,
      apiUrl: foyer.svc.config.publicUrl,
      fetch: appFetch(foyer),
    });
    return atlassianAccess(client, t.instance.frontend_api_url);
  };
  const authFor = async (userId: string): Promise<FoyerAuthInfo> => {
    const verifier = createAccessTokenVerifier({ issuer: as.issuer, resource: RESOURCE, jwks: as.jwks });
    return verifier.verifyAccessToken(await as.sign({ aud: RESOURCE, sub: userId }));
  };
  const seed = async () => {
    const accountId = newEmulatorAccount(te);
    const { userId } = await seedAtlassianUser(foyer, te, {
      instanceId: t.id,
      accountId,
      cloudId: DEMO_IDS.acme,
    });
    return { userId, accountId, auth: await authFor(userId) };
  };
  const stepUpOf = async (p: Promise<unknown>) => {
    const err = await p.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(AtlassianReconnectRequired);
    return err as AtlassianReconnectRequired;
  };

  it("calls Jira with the user's Atlassian token (not the MCP token) on the site asked", async () => {
    const { auth, accountId } = await seed();
    const jira = await access()(auth, { cloudId: DEMO_IDS.acme, scopes: ["read:jira-work"] });
    expect(jira.site.cloud_id).toBe(DEMO_IDS.acme);
    const { response } = await jira.fetch("jira", "/rest/api/3/myself");
    expect(response.status).toBe(200);
    expect(((await response.json()) as { accountId: string }).accountId).toBe(accountId);
  });

  it("asks for a reconnect, naming the scopes and the site, when the grant lacks a scope there", async () => {
    const { auth } = await seed();
    const err = await stepUpOf(
      access()(auth, { cloudId: DEMO_IDS.acme, scopes: ["read:jira-work", "search:confluence"] }),
    );
    expect(err.reason).toBe("missing_scope");
    const url = new URL(err.url);
    expect(`${url.origin}${url.pathname}`).toBe(`${t.instance.frontend_api_url}/connect/atlassian`);
    expect(url.searchParams.get("scope")).toBe("read:jira-work search:confluence");
    expect(url.searchParams.get("cloud_id")).toBe(DEMO_IDS.acme);
  });

  it("asks to connect a site no account of the user reaches, and a user with no Atlassian at all", async () => {
    const { auth } = await seed();
    expect((await stepUpOf(access()(auth, { cloudId: "00000000-0000-4000-8000-000000000000" }))).reason).toBe(
      "not_connected",
    );
    const stranger = await authFor("user_nobody");
    const err = await access()(stranger, { cloudId: DEMO_IDS.acme }).catch((e: unknown) => e);
    // An unknown user is the Backend API's 404, not a reconnect: the token named someone else.
    expect(err).not.toBeInstanceOf(AtlassianReconnectRequired);
  });

  it("turns a grant revoked at Atlassian into a reconnect", async () => {
    const { auth, accountId } = await seed();
    const jira = await access()(auth, { cloudId: DEMO_IDS.acme });
    te.emulator.control.revokeGrant(te.clientId, accountId);
    await foyer.advance(6_000);
    const err = await stepUpOf(jira.fetch("jira", "/rest/api/3/myself"));
    expect(err.reason).toBe("reauthorization_required");
    // And from then on before any call: Foyer knows the grant is dead.
    expect((await stepUpOf(access()(auth, { cloudId: DEMO_IDS.acme }))).reason).toBe(
      "reauthorization_required",
    );
  });
});
