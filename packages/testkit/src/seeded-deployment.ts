/**
 * A deployment with something in every encrypted column, for the key-rotation and backup tests:
 * a development instance with an Atlassian user (real emulator tokens) signed in, a production
 * instance with its own Client Secret, a sign-in in progress; and `expectDeploymentWorks`, which
 * reads each of them back through the real paths (Backend API, Frontend API, Platform API).
 * Plus the built CLI, run against a test database.
 */
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { expect } from "vitest";
import { resolveAtlassianClient } from "../../server/src/connections/atlassian-connection.js";
import { createKeyring } from "../../server/src/crypto/aead.js";
import { CANARY_COLUMN, ENCRYPTED_COLUMNS } from "../../server/src/db/encrypted-columns.js";
import { getInstance } from "../../server/src/instances/instances.js";
import { createTransaction } from "../../server/src/oauth/transactions.js";
import { newEmulatorAccount, seedAtlassianUser, type TokenEmulator } from "./atlassian-user.js";
import type { TestDatabase } from "./databases.js";
import type { TestFoyer } from "./harness.js";
import { createTestInstance, type SignedIn, signInTestUser } from "./instances.js";

const CLI = resolve(import.meta.dirname, "../../server/bin/foyer.js");

export interface SeededDeployment {
  devInstanceId: string;
  fapiPath: string;
  secretKey: string;
  userId: string;
  externalAccountId: string;
  accessToken: string;
  signedIn: SignedIn;
  prodInstanceId: string;
  clientSecret: string;
  /** A webhook endpoint whose secret was rotated once: both secret columns hold a ciphertext. */
  webhookEndpointId: string;
  webhookSecret: string;
}

export async function seedDeployment(foyer: TestFoyer, te: TokenEmulator): Promise<SeededDeployment> {
  const dev = await createTestInstance(foyer);
  const seeded = await seedAtlassianUser(foyer, te, {
    instanceId: dev.id,
    accountId: newEmulatorAccount(te),
  });
  const user = await foyer.svc.db.kysely
    .selectFrom("users")
    .selectAll()
    .where("id", "=", seeded.userId)
    .executeTakeFirstOrThrow();
  const signedIn = await signInTestUser(foyer, dev.instance, user);
  const appId = dev.instance.application_id;
  const prod = await foyer.platform(`/applications/${appId}/instances`, {
    method: "POST",
    json: { environment: "production", frontend_api_url: "https://clerk.example.com" },
  });
  if (prod.status !== 201) throw new Error(`production instance not created: ${prod.status}`);
  const prodInstanceId = (await prod.json()).id as string;
  const clientSecret = `prod-secret-${Math.random().toString(36).slice(2)}`;
  const patched = await foyer.platform(`/instances/${prodInstanceId}/social_connections/atlassian`, {
    method: "PATCH",
    json: { enabled: true, client_id: "prod-client-id", client_secret: clientSecret },
  });
  if (patched.status !== 200)
    throw new Error(`connection not saved: ${patched.status} ${await patched.text()}`);
  // A sign-in in progress holds an encrypted PKCE verifier.
  await createTransaction(foyer.svc, {
    instanceId: dev.id,
    purpose: "sign_in",
    browserBinding: "test-binding",
    redirectUrl: null,
    scopes: ["read:me"],
    redirectUri: "http://foyer.test/v1/oauth_callback",
  });
  const endpoint = await foyer.platform(`/instances/${dev.id}/webhook_endpoints`, {
    method: "POST",
    json: { url: "http://127.0.0.1:9/hooks" },
  });
  if (endpoint.status !== 201) throw new Error(`webhook endpoint not created: ${endpoint.status}`);
  const webhookEndpointId = (await endpoint.json()).id as string;
  const rotated = await foyer.platform(
    `/instances/${dev.id}/webhook_endpoints/${webhookEndpointId}/rotate_secret`,
    {
      method: "POST",
      json: {},
    },
  );
  const webhookSecret = (await rotated.json()).secret as string;
  return {
    devInstanceId: dev.id,
    fapiPath: dev.fapiPath,
    secretKey: dev.secretKey,
    userId: seeded.userId,
    externalAccountId: seeded.externalAccountId,
    accessToken: seeded.tokens.access_token,
    signedIn,
    prodInstanceId,
    clientSecret,
    webhookEndpointId,
    webhookSecret,
  };
}

/**
 * Everything the deployment stored still works through this Foyer: the Backend API hands out the
 * Atlassian token (secret key authenticated), the session cookie mints a session token (signing
 * key decrypted), the secret key is revealed, the production Client Secret decrypts, the webhook
 * secret is revealed.
 */
export async function expectDeploymentWorks(foyer: TestFoyer, d: SeededDeployment): Promise<void> {
  const token = await foyer.request(`/v1/users/${d.userId}/oauth_access_tokens/oauth_atlassian`, {
    headers: { authorization: `Bearer ${d.secretKey}` },
  });
  expect(token.status).toBe(200);
  expect((await token.json())[0].token).toBe(d.accessToken);
  const minted = await foyer.request(`${d.fapiPath}/v1/client/sessions/${d.signedIn.sessionId}/tokens`, {
    method: "POST",
    headers: { cookie: d.signedIn.cookie },
  });
  expect(minted.status).toBe(200);
  expect((await minted.json()).jwt).toMatch(/^ey/);
  const keys = await (await foyer.platform(`/instances/${d.devInstanceId}/secret_keys`)).json();
  expect(keys.data.map((k: { key: string }) => k.key)).toContain(d.secretKey);
  const client = await resolveAtlassianClient(foyer.svc, await getInstance(foyer.svc, d.prodInstanceId));
  expect(client.clientSecret).toBe(d.clientSecret);
  const secret = await foyer.platform(
    `/instances/${d.devInstanceId}/webhook_endpoints/${d.webhookEndpointId}/secret`,
  );
  expect((await secret.json()).secret).toBe(d.webhookSecret);
}

/**
 * Every stored ciphertext opens with ONLY `key` and the registry's AAD: proves the registry
 * computes the writers' AAD, and that nothing is left under another key. Returns the count.
 */
export async function expectAllUnder(foyer: TestFoyer, key: string): Promise<number> {
  const only = createKeyring(Buffer.from(key, "base64"));
  let n = 0;
  for (const col of [...ENCRYPTED_COLUMNS, CANARY_COLUMN]) {
    // biome-ignore lint/suspicious/noExplicitAny: the registry names tables and columns at run time
    const rows = (await (foyer.svc.db.kysely as any).selectFrom(col.table).selectAll().execute()) as Record<
      string,
      string
    >[];
    for (const row of rows) {
      if (Object.entries(col.only ?? {}).some(([k, v]) => row[k] !== v)) continue;
      const value = row[col.column];
      if (value === null || value === undefined) continue;
      expect(() => only.decrypt(value, col.aad(row)), `${col.table}.${col.column}`).not.toThrow();
      n++;
    }
  }
  return n;
}

/** DATABASE_URL for a CLI process on this test database (a PostgreSQL schema on the path). */
export function cliDatabaseUrl(db: TestDatabase): string {
  return db.schema ? `${db.url}?options=${encodeURIComponent(`-c search_path=${db.schema}`)}` : db.url;
}

export function cliEnv(
  db: TestDatabase,
  keys: { current: string; previous?: string[] },
  platformToken: string,
): Record<string, string> {
  return {
    PATH: process.env.PATH ?? "",
    LOG_LEVEL: "warn",
    DATABASE_URL: cliDatabaseUrl(db),
    FOYER_ENCRYPTION_KEY: keys.current,
    ...(keys.previous ? { FOYER_PREVIOUS_ENCRYPTION_KEYS: keys.previous.join(",") } : {}),
    FOYER_PLATFORM_TOKEN: platformToken,
    FOYER_DATA_DIR: mkdtempSync(join(tmpdir(), "foyer-cli-")),
  };
}

/**
 * The built `foyer` CLI, to completion, without blocking this process: it may be serving requests
 * meanwhile, and a blocked event loop misses its sockets' keep-alive closes (then ECONNRESET).
 */
export function runFoyer(
  args: string[],
  env: Record<string, string>,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.once("close", (status) => {
      clearTimeout(timer);
      done({ status, stdout, stderr });
    });
  });
}
