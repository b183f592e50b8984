/**
 * Test set-up for the Atlassian token paths: an emulator whose app is the test Foyer's shared
 * credentials, and users whose external accounts hold REAL tokens from that emulator (a queued
 * consent, /authorize, the code from the 302, POST /oauth/token), stored encrypted through
 * tokens/token-store.ts. So every refresh a test triggers runs against the emulator's real
 * rotation rules, not against a stub.
 */
import {
  DEMO_IDS,
  demoSeed,
  type EmulatorSettings,
  type RunningEmulator,
  startAtlassianEmulator,
} from "@foyer/atlassian-emulator";
import { sql } from "kysely";
import { randomToken } from "../../server/src/crypto/random.js";
import { getInstance } from "../../server/src/instances/instances.js";
import { fetchAccessibleResources } from "../../server/src/providers/atlassian/accessible-resources.js";
import { fetchProfile } from "../../server/src/providers/atlassian/profile.js";
import type { AtlassianSettings } from "../../server/src/services.js";
import { connectAtlassian, signInWithAtlassian } from "../../server/src/users/atlassian-user.js";
import type { TestFoyer } from "./harness.js";

export { DEMO_IDS };

/** The shared redirect URI of a harness without `listen` (its public URL is http://foyer.test). */
export const TEST_CALLBACK_URL = "http://foyer.test/v1/oauth_callback";
export const TEST_SCOPES = ["read:me", "read:jira-user", "read:jira-work", "offline_access"];

export interface TokenEmulator {
  emulator: RunningEmulator;
  /** Pass as `createTestFoyer(kind, { atlassian })`. */
  atlassian: AtlassianSettings;
  clientId: string;
  clientSecret: string;
}

/** An emulator (demo accounts and sites) with one app whose credentials Foyer uses as shared ones. */
export async function startTokenEmulator(settings: Partial<EmulatorSettings> = {}): Promise<TokenEmulator> {
  const clientId = `foyer-test-${randomToken(6)}`;
  const clientSecret = `secret-${randomToken(24)}`;
  const emulator = await startAtlassianEmulator({
    quiet: true,
    settings,
    seed: {
      ...demoSeed(),
      apps: [
        {
          clientId,
          clientSecret,
          name: "Foyer token tests",
          callbackUrl: TEST_CALLBACK_URL,
          scopes: [
            "read:me",
            "read:jira-user",
            "read:jira-work",
            "read:confluence-content.all",
            "search:confluence",
          ],
          shared: true,
        },
      ],
    },
  });
  return {
    emulator,
    clientId,
    clientSecret,
    atlassian: {
      authUrl: emulator.authUrl,
      apiUrl: emulator.apiUrl,
      shared: { clientId, clientSecret },
      emulated: true,
      timeoutMs: 2_000,
    },
  };
}

export interface EmulatorTokens {
  access_token: string;
  refresh_token?: string;
  expires_in: number;
  scope: string;
}

/** A consent and code exchange at the emulator, as a browser and Foyer's callback would do them. */
export async function obtainTokens(
  te: TokenEmulator,
  opts: { accountId: string; scopes?: string[]; cloudId?: string },
): Promise<EmulatorTokens> {
  const { emulator } = te;
  emulator.control.queueConsent({ accountId: opts.accountId, cloudId: opts.cloudId, answer: "accept" });
  const authorize = new URL(`${emulator.authUrl}/authorize`);
  const state = randomToken(16);
  for (const [k, v] of Object.entries({
    audience: "api.atlassian.com",
    client_id: te.clientId,
    scope: (opts.scopes ?? TEST_SCOPES).join(" "),
    redirect_uri: TEST_CALLBACK_URL,
    state,
    response_type: "code",
    prompt: "consent",
  })) {
    authorize.searchParams.set(k, v);
  }
  const res = await fetch(authorize, { redirect: "manual" });
  const location = res.headers.get("location");
  if (res.status !== 302 || !location) throw new Error(`emulator /authorize answered ${res.status}`);
  const code = new URL(location).searchParams.get("code");
  if (!code) throw new Error(`emulator /authorize redirected without a code: ${location}`);
  const tokenRes = await fetch(`${emulator.authUrl}/oauth/token`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      grant_type: "authorization_code",
      client_id: te.clientId,
      client_secret: te.clientSecret,
      code,
      redirect_uri: TEST_CALLBACK_URL,
    }),
  });
  if (tokenRes.status !== 200) throw new Error(`emulator /oauth/token answered ${tokenRes.status}`);
  return (await tokenRes.json()) as EmulatorTokens;
}

export interface SeededAtlassianUser {
  userId: string;
  externalAccountId: string;
  tokens: EmulatorTokens;
}

/**
 * A user of `instanceId` with one Atlassian external account holding real emulator tokens,
 * profile and sites taken from the emulator's /me and accessible-resources.
 */
export async function seedAtlassianUser(
  foyer: TestFoyer,
  te: TokenEmulator,
  opts: { instanceId: string; accountId: string; scopes?: string[]; cloudId?: string },
): Promise<SeededAtlassianUser> {
  return storeGrant(foyer, te, opts);
}

/**
 * Connects one more Atlassian account (its own emulator consent and tokens) to an existing user,
 * as the connect flow's callback does: a user with several Atlassian accounts.
 */
export async function connectAtlassianAccount(
  foyer: TestFoyer,
  te: TokenEmulator,
  opts: { instanceId: string; userId: string; accountId: string; scopes?: string[]; cloudId?: string },
): Promise<SeededAtlassianUser> {
  return storeGrant(foyer, te, opts);
}

async function storeGrant(
  foyer: TestFoyer,
  te: TokenEmulator,
  opts: { instanceId: string; accountId: string; userId?: string; scopes?: string[]; cloudId?: string },
): Promise<SeededAtlassianUser> {
  const tokens = await obtainTokens(te, opts);
  const { svc } = foyer;
  // From here on, exactly what a sign-in's (or a connect's) callback does with Atlassian's answer.
  const instance = await getInstance(svc, opts.instanceId);
  const [profile, sites] = await Promise.all([
    fetchProfile(svc.atlassian, tokens.access_token),
    fetchAccessibleResources(svc.atlassian, tokens.access_token),
  ]);
  const grant = {
    profile,
    sites,
    tokens: {
      accessToken: tokens.access_token,
      refreshToken: tokens.refresh_token,
      expiresAt: svc.now() + tokens.expires_in * 1000,
      scopes: tokens.scope.split(" "),
    },
    requestedScopes: opts.scopes ?? TEST_SCOPES,
    knownSites: [],
  };
  let userId = opts.userId;
  if (userId) await connectAtlassian(svc, instance, userId, grant);
  else userId = (await signInWithAtlassian(svc, instance, grant)).userId;
  const account = await svc.db.kysely
    .selectFrom("external_accounts")
    .select("id")
    .where("instance_id", "=", instance.id)
    .where("provider_user_id", "=", profile.accountId)
    .executeTakeFirstOrThrow();
  return { userId, externalAccountId: account.id, tokens };
}

/**
 * A fresh Atlassian account at the emulator (a member of the Acme demo site unless `siteIds`
 * says otherwise), so tests never collide.
 */
export function newEmulatorAccount(
  te: TokenEmulator,
  name = "Test Person",
  siteIds: string[] = [DEMO_IDS.acme],
): string {
  const accountId = `557058:${randomToken(12)}`;
  const local = accountId
    .slice(7)
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "");
  te.emulator.control.upsertAccount({
    accountId,
    name,
    email: `${local}@example.com`,
    emailVerified: true,
    nickname: local,
    accountStatus: "active",
    siteIds,
  });
  return accountId;
}

/**
 * Makes the stored access token look expired, as an hour passing would, for every Foyer on the
 * database (test clocks only ever move forward from the real one).
 */
export async function expireAccessToken(foyer: TestFoyer, externalAccountId: string): Promise<void> {
  await foyer.svc.db.kysely
    .updateTable("external_accounts")
    .set({ access_token_expires_at: Date.now() - 1000 })
    .where("id", "=", externalAccountId)
    .execute();
}

/** Every row of every table of a test database as one string, for "no plaintext secret" greps. */
export async function dumpAllTables(foyer: TestFoyer): Promise<string> {
  const db = foyer.svc.db.kysely;
  const names =
    foyer.svc.db.dialect === "sqlite"
      ? await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(db)
      : await sql<{
          name: string;
        }>`select table_name as name from information_schema.tables where table_schema = current_schema()`.execute(
          db,
        );
  let dump = "";
  for (const { name } of names.rows) {
    const rows = await sql`select * from ${sql.table(name)}`.execute(db);
    dump += `${name}:${JSON.stringify(rows.rows)}\n`;
  }
  return dump;
}
