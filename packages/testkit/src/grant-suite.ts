/**
 * The set-up every grant-health test shares: an emulator, a Foyer on one database, an instance,
 * and short-hands for the Backend API routes and the external account's row. Users hold real
 * emulator tokens (atlassian-user.ts), so every refresh runs the emulator's rotation rules.
 */
import type { EmulatorSettings } from "@foyer/atlassian-emulator";
import type { ExternalAccountTable } from "../../server/src/db/schema.js";
import {
  newEmulatorAccount,
  type SeededAtlassianUser,
  seedAtlassianUser,
  startTokenEmulator,
  type TokenEmulator,
} from "./atlassian-user.js";
import type { DbKind } from "./databases.js";
import { createTestFoyer, type TestFoyer, type TestFoyerOptions } from "./harness.js";
import { createTestInstance } from "./instances.js";

export interface GrantSuite {
  te: TokenEmulator;
  foyer: TestFoyer;
  instanceId: string;
  secretKey: string;
  /** A new user with one Atlassian account (a new emulator account, on the Acme site by default). */
  seed(opts?: { accountId?: string; scopes?: string[]; cloudId?: string }): Promise<SeededAtlassianUser>;
  row(externalAccountId: string): Promise<ExternalAccountTable>;
  /** `GET /v1/users/{id}/oauth_access_tokens/oauth_atlassian`. */
  getToken(userId: string): Promise<Response>;
  /** `POST …/oauth_atlassian/refresh`. */
  forceRefresh(userId: string): Promise<Response>;
  /** `GET /v1/users/{id}`. */
  getUser(userId: string): Promise<Response>;
  /** Whether an access token works at the emulator's `/me`. */
  worksAtAtlassian(accessToken: string): Promise<boolean>;
  close(): Promise<void>;
}

export async function startGrantSuite(
  kind: DbKind,
  opts: { emulator?: Partial<EmulatorSettings>; foyer?: Omit<TestFoyerOptions, "atlassian"> } & {
    atlassian?: { timeoutMs?: number };
  } = {},
): Promise<GrantSuite> {
  const te = await startTokenEmulator(opts.emulator);
  const foyer = await createTestFoyer(kind, {
    ...opts.foyer,
    atlassian: { ...te.atlassian, ...opts.atlassian },
  });
  const { id: instanceId, secretKey } = await createTestInstance(foyer);
  const headers = () => ({ authorization: `Bearer ${secretKey}` });
  const tokenPath = (userId: string) => `/v1/users/${userId}/oauth_access_tokens/oauth_atlassian`;
  return {
    te,
    foyer,
    instanceId,
    secretKey,
    seed: (o = {}) =>
      seedAtlassianUser(foyer, te, { instanceId, ...o, accountId: o.accountId ?? newEmulatorAccount(te) }),
    row: (id) =>
      foyer.svc.db.kysely
        .selectFrom("external_accounts")
        .selectAll()
        .where("id", "=", id)
        .executeTakeFirstOrThrow(),
    getToken: (userId) => foyer.request(tokenPath(userId), { headers: headers() }),
    forceRefresh: (userId) =>
      foyer.request(`${tokenPath(userId)}/refresh`, { method: "POST", headers: headers() }),
    getUser: (userId) => foyer.request(`/v1/users/${userId}`, { headers: headers() }),
    worksAtAtlassian: async (accessToken) =>
      (await fetch(`${te.emulator.apiUrl}/me`, { headers: { authorization: `Bearer ${accessToken}` } }))
        .status === 200,
    close: async () => {
      await foyer.close();
      await te.emulator.close();
    },
  };
}

/** The first error code of an error answer. */
export async function errorCodeOf(res: Response): Promise<string> {
  return ((await res.json()) as { errors: Array<{ code: string }> }).errors[0]!.code;
}

/** Polls `probe` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(
  probe: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (let waitMs = 20; ; waitMs = Math.min(waitMs * 2, 250)) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, waitMs));
  }
}
