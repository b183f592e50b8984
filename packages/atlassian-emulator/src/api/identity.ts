/**
 * api.atlassian.com/me and /oauth/token/accessible-resources (atlassian-3lo §5-§6).
 */
import { Hono } from "hono";
import { takeFault } from "../faults.js";
import { shuffled } from "../random.js";
import { reachableSites, siteScopes } from "../sites.js";
import type { EmulatorState } from "../state.js";
import type { EmulatorAccount } from "../types.js";
import { avatarUrl } from "./avatars.js";
import { bearerToken, UNAUTHORIZED } from "./gateway.js";
import { apiFault } from "./rate-limit.js";

export function identityRoutes(state: EmulatorState): Hono {
  const app = new Hono();

  app.get("/me", (c) => {
    state.counters.meCalls += 1;
    const outage = takeFault(state, "me_503");
    if (outage) {
      return c.json({ code: 503, message: "Service Unavailable" }, 503, {
        "Retry-After": String(outage.retryAfterSeconds),
      });
    }
    const limited = apiFault(state, c, "identity");
    if (limited) return limited;
    const check = bearerToken(state, c);
    if (!check.ok) return c.json(UNAUTHORIZED, 401);
    if (!check.scopes.includes("read:me")) return c.json({ code: 403, message: "Forbidden" }, 403);
    const account = state.accounts.get(check.token.accountId);
    if (!account) return c.json(UNAUTHORIZED, 401);
    const lastUpdated = state.accountUpdatedAt.get(account.accountId) ?? 0;
    const origin = new URL(c.req.url).origin;
    return c.json(profile(account, state.settings.emitEmailVerified, lastUpdated, origin));
  });

  app.get("/oauth/token/accessible-resources", (c) => {
    state.counters.accessibleResourcesCalls += 1;
    const limited = apiFault(state, c, "identity");
    if (limited) return limited;
    const check = bearerToken(state, c);
    if (!check.ok) return c.json(UNAUTHORIZED, 401);
    // Every site of the grant the account can still reach, each with the scopes that apply there.
    // A site where none of the grant's scopes apply any more (a later consent replaced them) is
    // left out: nothing could be called on it.
    const resources = reachableSites(state, check.grant).flatMap((site) => {
      const scopes = siteScopes(site, check.grant.scopes);
      if (scopes.length === 0) return [];
      return [
        {
          id: site.cloudId,
          name: site.name,
          url: site.url,
          scopes,
          avatarUrl: site.avatarUrl ?? avatarUrl(new URL(c.req.url).origin, site.cloudId, site.name),
        },
      ];
    });
    // Atlassian: "not in any order". Shuffle so clients cannot come to depend on one.
    return c.json(shuffled(resources));
  });

  return app;
}

/** The `/me` body. Field names are Atlassian's snake_case; everything but account_id may be absent. */
export function profile(
  account: EmulatorAccount,
  emitEmailVerified: boolean,
  lastUpdated: number,
  /** The emulator's own origin, for the avatar of an account seeded without a picture. */
  origin: string,
): Record<string, unknown> {
  const body: Record<string, unknown> = {
    account_type: account.accountType ?? "atlassian",
    account_id: account.accountId,
    email: account.hideEmail ? undefined : account.email,
    name: account.name,
    picture: account.picture ?? avatarUrl(origin, account.accountId, account.name),
    account_status: account.accountStatus === null ? undefined : (account.accountStatus ?? "active"),
    nickname: account.nickname ?? account.name.split(/\s+/)[0],
    zoneinfo: account.zoneinfo ?? "Etc/UTC",
    locale: account.locale ?? "en-US",
    extended_profile: account.extendedProfile ?? {},
  };
  if (emitEmailVerified) {
    // Atlassian makes people verify their address, so an unspecified flag means verified.
    if (!account.hideEmail && account.email) body.email_verified = account.emailVerified ?? true;
    body.last_updated = new Date(lastUpdated).toISOString();
  }
  return JSON.parse(JSON.stringify(body));
}
