/**
 * A real Foyer (server test harness) with signed-in sessions, and a fetch that reaches it without
 * a socket, for the SDK's tests. Tokens come from the real mint endpoint.
 */
import { activeSigningKey } from "../../server/src/instances/signing-keys.js";
import type { TestFoyer } from "./harness.js";
import { createTestInstance, signInTestUser, type TestInstance } from "./instances.js";

export { DB_KINDS } from "./databases.js";
export { createTestFoyer, type TestFoyer } from "./harness.js";
export { createTestInstance, signInTestUser, type TestInstance };

/** fetch into the app (no socket). */
export function appFetch(foyer: TestFoyer): typeof fetch {
  return (input, init) => foyer.app.fetch(new Request(input, init));
}

export async function mintFor(
  foyer: TestFoyer,
  t: TestInstance,
  opts: { origin?: string } = {},
): Promise<{ jwt: string; userId: string; sessionId: string; cookie: string }> {
  const s = await signInTestUser(foyer, t.instance);
  const res = await foyer.request(`${t.fapiPath}/v1/client/sessions/${s.sessionId}/tokens`, {
    method: "POST",
    headers: { cookie: s.cookie, ...(opts.origin ? { origin: opts.origin } : {}) },
  });
  if (res.status !== 200) throw new Error(`mint failed: ${res.status}`);
  return { jwt: (await res.json()).jwt, userId: s.user.id, sessionId: s.sessionId, cookie: s.cookie };
}

/** The instance's own signing key, to forge tokens that are validly signed but wrong in a claim. */
export function instanceSigningKey(foyer: TestFoyer, t: TestInstance) {
  return activeSigningKey(foyer.svc, t.instance.id);
}
