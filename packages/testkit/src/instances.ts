/**
 * Signed-in users for tests that must not depend on the Atlassian sign-in flow: an instance made
 * through the Platform API, a user inserted directly, and a session from the real startSession.
 */

import { encodePublishableKey } from "@foyer/contract";
import { newId, randomToken } from "../../server/src/crypto/random.js";
import type { UserTable } from "../../server/src/db/schema.js";
import { CLIENT_COOKIE } from "../../server/src/http/frontend/client-cookie.js";
import { getInstance, type Instance } from "../../server/src/instances/instances.js";
import { startSession } from "../../server/src/sessions/sessions.js";
import type { TestFoyer } from "./harness.js";

export interface TestInstance {
  /** The instance's id (`ins_…`). */
  id: string;
  instance: Instance;
  secretKey: string;
  publishableKey: string;
  /** `<public url>/fapi/<id>`, the path tests request. */
  fapiPath: string;
  /** PEM public key of the active signing key, as the Platform API gives it. */
  publicKeyPem(): Promise<string>;
}

/** A fresh application's development instance, made through the Platform API, with its keys. */
export async function createTestInstance(
  foyer: TestFoyer,
  opts: { name?: string; allowedOrigins?: string[]; patch?: Record<string, unknown> } = {},
): Promise<TestInstance> {
  const res = await foyer.platform("/applications", {
    method: "POST",
    json: { name: opts.name ?? `Test app ${randomToken(4)}` },
  });
  if (res.status !== 201) throw new Error(`application not created: ${res.status}`);
  const id = (await res.json()).instances[0].id as string;
  const patch = { ...(opts.allowedOrigins ? { allowed_origins: opts.allowedOrigins } : {}), ...opts.patch };
  if (Object.keys(patch).length > 0) {
    const p = await foyer.platform(`/instances/${id}`, { method: "PATCH", json: patch });
    if (p.status !== 200) throw new Error(`instance not patched: ${p.status} ${await p.text()}`);
  }
  const keys = await (await foyer.platform(`/instances/${id}/secret_keys`)).json();
  const instance = await getInstance(foyer.svc, id);
  return {
    id,
    instance,
    secretKey: keys.data[0].key,
    publishableKey: encodePublishableKey(instance.environment, instance.frontend_api_url),
    fapiPath: new URL(instance.frontend_api_url).pathname,
    publicKeyPem: async () => (await (await foyer.platform(`/instances/${id}/public_key`)).json()).pem,
  };
}

export async function insertTestUser(
  foyer: TestFoyer,
  instance: Instance,
  fields: Partial<UserTable> = {},
): Promise<UserTable> {
  const now = foyer.svc.now();
  const user: UserTable = {
    id: newId("user"),
    instance_id: instance.id,
    first_name: "Ada",
    last_name: "Lovelace",
    username: null,
    image_url: null,
    locale: null,
    primary_email_address_id: null,
    public_metadata: "{}",
    private_metadata: JSON.stringify({ secret_plan: "gold" }),
    unsafe_metadata: "{}",
    last_sign_in_at: null,
    banned: 0,
    locked: 0,
    created_at: now,
    updated_at: now,
    ...fields,
  };
  await foyer.svc.db.kysely.insertInto("users").values(user).execute();
  return user;
}

export interface SignedIn {
  user: UserTable;
  sessionId: string;
  clientId: string;
  clientToken: string;
  /** A Cookie header carrying the client cookie. */
  cookie: string;
}

/** A user with a fresh session, exactly as the sign-in callback leaves them. */
export async function signInTestUser(
  foyer: TestFoyer,
  instance: Instance,
  user?: UserTable,
): Promise<SignedIn> {
  const u = user ?? (await insertTestUser(foyer, instance));
  const { clientToken, client, session } = await startSession(foyer.svc, instance, u.id);
  return {
    user: u,
    sessionId: session.id,
    clientId: client.id,
    clientToken,
    cookie: `${CLIENT_COOKIE}=${clientToken}`,
  };
}
