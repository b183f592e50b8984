/**
 * The Redis the shared rate-limit tests use: FOYER_TEST_REDIS_URL, else the local default when
 * it answers (found once by the global set-up). Each test writes under a key prefix of its own.
 */
import { inject } from "vitest";
import { randomToken } from "../../server/src/crypto/random.js";

export const redisUrl: string | undefined = inject("foyerRedisUrl") || undefined;

/** A Redis key prefix no other test (or earlier run) uses. */
export function testRedisPrefix(): string {
  return `foyer-test-${randomToken(9).replace(/[^a-zA-Z0-9]/g, "")}:`;
}
