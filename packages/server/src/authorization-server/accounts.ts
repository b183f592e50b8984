import type { Services } from "../services.js";
import { restrictionError } from "../users/restrictions.js";
import { findUser, userSummary } from "../users/users.js";

/**
 * The OpenID Connect account of a Foyer user: `sub` is the Foyer user id, with name, picture and
 * email when Foyer has them. A banned, locked or deleted user has no account: oidc-provider then
 * refuses the code exchange, the refresh and userinfo (SECURITY.md, "Users the operator has
 * stopped": every issuing path), so a stopped user's refresh token is dead at its next use.
 */
export interface OidcClaims {
  [claim: string]: unknown;
  sub: string;
  name?: string;
  picture?: string;
  email?: string;
  email_verified?: boolean;
}

export async function oidcAccount(
  svc: Services,
  instanceId: string,
  userId: string,
): Promise<{ accountId: string; claims: () => Promise<OidcClaims> } | undefined> {
  const user = await findUser(svc, instanceId, userId);
  if (!user || restrictionError(user)) return undefined;
  return {
    accountId: user.id,
    claims: async () => {
      const summary = await userSummary(svc, instanceId, user.id);
      return {
        sub: user.id,
        ...(summary?.name ? { name: summary.name } : {}),
        ...(summary?.imageUrl ? { picture: summary.imageUrl } : {}),
        // Atlassian does not promise an email is verified (DESIGN.md), so neither does Foyer.
        ...(summary?.email ? { email: summary.email, email_verified: false } : {}),
      };
    },
  };
}
