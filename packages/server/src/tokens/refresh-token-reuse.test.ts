/**
 * SECURITY.md: a refresh-token reuse is a security event. Atlassian shows it only as a dead
 * grant right after a rotation (breach detection revokes the family); Foyer logs and counts it.
 */
import { DB_KINDS } from "@foyer/testkit/databases";
import { errorCodeOf, type GrantSuite, startGrantSuite } from "@foyer/testkit/grant-suite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { securityEventCounts } from "../events/security-events.js";
import { FORCED_REUSE_MS } from "./stored-token.js";
import { decryptTokens } from "./token-store.js";

describe.each(DB_KINDS)("refresh-token reuse (%s)", (kind) => {
  let s: GrantSuite;
  beforeAll(async () => {
    s = await startGrantSuite(kind, { emulator: { refreshLeewaySeconds: 0 } });
  });
  afterAll(() => s?.close());

  it("a grant killed by the reuse of a rotated-out token is a logged, counted security event", async () => {
    const { userId, externalAccountId } = await s.seed();
    s.foyer.advance(FORCED_REUSE_MS);
    const stolen = decryptTokens(s.foyer.svc, await s.row(externalAccountId)).refreshToken!;
    expect((await s.forceRefresh(userId)).status).toBe(200);

    // Someone holding the old refresh token uses it: Atlassian revokes the whole family.
    const reuse = await fetch(`${s.te.emulator.authUrl}/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        grant_type: "refresh_token",
        client_id: s.te.clientId,
        client_secret: s.te.clientSecret,
        refresh_token: stolen,
      }),
    });
    expect(reuse.status).toBe(403);

    s.foyer.advance(FORCED_REUSE_MS);
    const dead = await s.forceRefresh(userId);
    expect(await errorCodeOf(dead)).toBe("oauth_reauthorization_required");
    const line = s.foyer
      .logs()
      .split("\n")
      .find((l) => l.includes('"kind":"refresh_token_reuse"'));
    expect(line).toBeDefined();
    expect(line).toContain('"event":"security"');
    expect(line).not.toContain(stolen);
    const counts = await securityEventCounts(s.foyer.svc, s.instanceId);
    expect(counts.find((c) => c.kind === "refresh_token_reuse")?.count).toBe(1);
  });
});
