import { type AtlassianSite, parseStoredSites } from "../providers/atlassian/sites.js";
import type { Services } from "../services.js";

/**
 * Every site Foyer already knows for one Atlassian account under one Atlassian app (client id),
 * across all instances that sign in with that app. Atlassian accumulates sites per grant, and a
 * grant belongs to the app, not to a Foyer instance: development instances share one app, so a
 * site picked in one of them is already in the grant another one receives. Comparing a consent's
 * accessible-resources with this set is how Foyer tells which site the user picked.
 */
export async function sitesKnownForAtlassianAccount(
  svc: Services,
  accountId: string,
  clientId: string,
): Promise<AtlassianSite[]> {
  const shared = svc.atlassian.shared?.clientId === clientId;
  const rows = await svc.db.kysely
    .selectFrom("external_accounts")
    .innerJoin("instances", "instances.id", "external_accounts.instance_id")
    .leftJoin("social_connections", (join) =>
      join
        .onRef("social_connections.instance_id", "=", "external_accounts.instance_id")
        .on("social_connections.provider", "=", "oauth_atlassian"),
    )
    .select("external_accounts.sites")
    .where("external_accounts.provider", "=", "oauth_atlassian")
    .where("external_accounts.provider_user_id", "=", accountId)
    .where((eb) =>
      eb.or([
        eb.and([
          eb("social_connections.use_custom_credentials", "=", 1),
          eb("social_connections.client_id", "=", clientId),
        ]),
        // Development instances without credentials of their own sign in with the shared app.
        ...(shared
          ? [
              eb.and([
                eb("instances.environment", "=", "development"),
                eb.or([
                  eb("social_connections.use_custom_credentials", "is", null),
                  eb("social_connections.use_custom_credentials", "=", 0),
                ]),
              ]),
            ]
          : []),
      ]),
    )
    .execute();
  const known = new Map<string, AtlassianSite>();
  for (const row of rows) for (const site of parseStoredSites(row.sites)) known.set(site.id, site);
  return [...known.values()];
}
