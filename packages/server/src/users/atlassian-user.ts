import type { Kysely, Transaction } from "kysely";
import { newId } from "../crypto/random.js";
import type { Database, ExternalAccountTable, UserTable } from "../db/schema.js";
import { isUniqueViolation } from "../db/unique-violation.js";
import { ApiError } from "../errors/api-error.js";
import { emitExternalAccountEvent, emitGrantChanges, emitUserEvent } from "../events/event-data.js";
import { externalAccountFromRow } from "../external-accounts/external-account.js";
import type { Instance } from "../instances/instances.js";
import { syncSiteOrganizations } from "../organizations/site-organizations.js";
import { addedSite } from "../providers/atlassian/accessible-resources.js";
import type { AtlassianProfile } from "../providers/atlassian/profile.js";
import { parseScopeString } from "../providers/atlassian/scopes.js";
import { type AtlassianSite, mergeSites } from "../providers/atlassian/sites.js";
import type { AtlassianTokens } from "../providers/atlassian/token-endpoint.js";
import type { Services } from "../services.js";
import { decryptTokens, encryptToken } from "../tokens/token-store.js";
import { assertUserMayAuthenticate } from "./restrictions.js";

/** What one completed Atlassian consent gives us. */
export interface AtlassianGrant {
  profile: AtlassianProfile;
  sites: AtlassianSite[];
  tokens: AtlassianTokens;
  requestedScopes: string[];
  /**
   * Sites Foyer already knew for this Atlassian account under the same Atlassian app, in any
   * instance: what accessible-resources is compared with to find the site this consent added.
   */
  knownSites: AtlassianSite[];
}

const PROVIDER = "oauth_atlassian" as const;

function splitName(name: string | undefined): { first: string | null; last: string | null } {
  if (!name) return { first: null, last: null };
  const [first, ...rest] = name.split(/\s+/);
  return { first: first || null, last: rest.join(" ") || null };
}

async function findExternalAccount(db: Kysely<Database>, instanceId: string, accountId: string) {
  return db
    .selectFrom("external_accounts")
    .selectAll()
    .where("instance_id", "=", instanceId)
    .where("provider", "=", PROVIDER)
    .where("provider_user_id", "=", accountId)
    .executeTakeFirst();
}

/** The external-account columns a consent sets (tokens encrypted to this row). */
function grantColumns(
  svc: Services,
  id: string,
  grant: AtlassianGrant,
  previous: ExternalAccountTable | undefined,
) {
  const { profile, tokens } = grant;
  const name = splitName(profile.name);
  const stored = previous ? externalAccountFromRow(previous).sites : [];
  const scopes = tokens.scopes.length > 0 ? tokens.scopes : grant.requestedScopes;
  return {
    email_address: profile.email ?? null,
    email_verified: profile.email && profile.emailVerified ? 1 : 0,
    first_name: name.first,
    last_name: name.last,
    username: profile.nickname ?? null,
    image_url: profile.picture ?? null,
    profile: JSON.stringify(profile.raw),
    approved_scopes: [...new Set(scopes)].join(" "),
    // Sites this consent no longer lists are kept as lost, not forgotten.
    sites: JSON.stringify(mergeSites(stored, grant.sites, svc.now())),
    // The site the user picked: the one listed now that Foyer knew nowhere before.
    last_added_site_id:
      addedSite([...grant.knownSites, ...stored], grant.sites) ?? previous?.last_added_site_id ?? null,
    status: "active" as const,
    access_token_enc: encryptToken(svc, id, "access_token", tokens.accessToken),
    access_token_expires_at: tokens.expiresAt,
    // Atlassian sends a refresh token only with offline_access; a consent without one keeps the old.
    refresh_token_enc: tokens.refreshToken
      ? encryptToken(svc, id, "refresh_token", tokens.refreshToken)
      : keptRefreshToken(svc, id, previous),
    token_version: (previous?.token_version ?? 0) + 1,
    refresh_lock_owner: null,
    refresh_lock_until: null,
    // A consent is a fresh start for the grant: new tokens, Atlassian's idle clock reset.
    refresh_intent_at: null,
    last_refreshed_at: svc.now(),
    last_refresh_error: null,
    reauthorization_reason: null,
    refresh_failures: 0,
    updated_at: svc.now(),
  };
}

/**
 * The stored refresh token, kept by a consent that brought none, re-encrypted under the current
 * key: copying the old ciphertext could write back a value under an old key just after
 * `foyer rekey` moved past this row.
 */
function keptRefreshToken(
  svc: Services,
  id: string,
  previous: ExternalAccountTable | undefined,
): string | null {
  const kept = previous?.refresh_token_enc ? decryptTokens(svc, previous).refreshToken : null;
  return kept ? encryptToken(svc, id, "refresh_token", kept) : null;
}

async function addEmailIfNew(
  trx: Transaction<Database>,
  svc: Services,
  user: UserTable,
  profile: AtlassianProfile,
): Promise<boolean> {
  if (!profile.email) return false;
  const existing = await trx
    .selectFrom("email_addresses")
    .select(["id", "verified"])
    .where("user_id", "=", user.id)
    .where("email_address", "=", profile.email)
    .executeTakeFirst();
  const verified = profile.emailVerified ? 1 : 0;
  if (existing) {
    if (verified && !existing.verified) {
      await trx.updateTable("email_addresses").set({ verified: 1 }).where("id", "=", existing.id).execute();
      return true;
    }
    return false;
  }
  const id = newId("idn");
  await trx
    .insertInto("email_addresses")
    .values({
      id,
      instance_id: user.instance_id,
      user_id: user.id,
      email_address: profile.email,
      verified,
      verification_strategy: "from_oauth_atlassian",
      created_at: svc.now(),
    })
    .execute();
  if (!user.primary_email_address_id) {
    await trx.updateTable("users").set({ primary_email_address_id: id }).where("id", "=", user.id).execute();
  }
  return true;
}

async function createUser(
  trx: Transaction<Database>,
  svc: Services,
  instance: Instance,
  grant: AtlassianGrant,
) {
  const now = svc.now();
  const name = splitName(grant.profile.name);
  const user: UserTable = {
    id: newId("user"),
    instance_id: instance.id,
    first_name: name.first,
    last_name: name.last,
    username: null,
    image_url: grant.profile.picture ?? null,
    locale: grant.profile.locale ?? null,
    primary_email_address_id: null,
    public_metadata: "{}",
    private_metadata: "{}",
    unsafe_metadata: "{}",
    last_sign_in_at: null,
    banned: 0,
    locked: 0,
    created_at: now,
    updated_at: now,
  };
  await trx.insertInto("users").values(user).execute();
  await addEmailIfNew(trx, svc, user, grant.profile);
  return user;
}

async function insertExternalAccount(
  trx: Transaction<Database>,
  svc: Services,
  instance: Instance,
  userId: string,
  grant: AtlassianGrant,
) {
  const id = newId("eac");
  const row: ExternalAccountTable = {
    id,
    instance_id: instance.id,
    user_id: userId,
    provider: PROVIDER,
    provider_user_id: grant.profile.accountId,
    created_at: svc.now(),
    ...grantColumns(svc, id, grant, undefined),
  };
  await trx.insertInto("external_accounts").values(row).execute();
  await emitExternalAccountEvent(trx, row, "external_account.created", svc.now());
}

async function refreshFromGrant(
  trx: Transaction<Database>,
  svc: Services,
  ea: ExternalAccountTable,
  grant: AtlassianGrant,
  updateUser: boolean,
) {
  const columns = grantColumns(svc, ea.id, grant, ea);
  await trx.updateTable("external_accounts").set(columns).where("id", "=", ea.id).execute();
  // The grant's events (updated, reactivated, site added, scopes changed) in this transaction.
  await emitGrantChanges(trx, ea, { ...ea, ...columns }, svc.now(), { updated: true });
  const user = await trx
    .selectFrom("users")
    .selectAll()
    .where("id", "=", ea.user_id)
    .executeTakeFirstOrThrow();
  let userChanged = false;
  if (updateUser) {
    // The Atlassian profile is the source of the user's name and avatar: keep them in step.
    const name = splitName(grant.profile.name);
    const set = {
      first_name: name.first ?? user.first_name,
      last_name: name.last ?? user.last_name,
      image_url: grant.profile.picture ?? user.image_url,
      locale: grant.profile.locale ?? user.locale,
    };
    userChanged = (Object.keys(set) as Array<keyof typeof set>).some((k) => set[k] !== user[k]);
    await trx
      .updateTable("users")
      .set({ ...set, updated_at: svc.now() })
      .where("id", "=", user.id)
      .execute();
  }
  if ((await addEmailIfNew(trx, svc, user, grant.profile)) || userChanged) {
    await emitUserEvent(trx, user.instance_id, user.id, "user.updated", svc.now());
  }
}

/**
 * Scopes the account held that this consent's token lacks: Atlassian replaced the grant's scopes
 * with a narrower set (a sign-in from a browser Foyer could not recognise asked for fewer).
 */
function lostScopes(previous: ExternalAccountTable, grant: AtlassianGrant): string[] {
  if (grant.tokens.scopes.length === 0) return [];
  const now = new Set(grant.tokens.scopes);
  return parseScopeString(previous.approved_scopes).filter((scope) => !now.has(scope));
}

/**
 * Sign-in or sign-up. The user is found by (instance, Atlassian account_id) only, never by email:
 * an email (verified or not) never links to, merges with or takes over another user.
 */
export async function signInWithAtlassian(
  svc: Services,
  instance: Instance,
  grant: AtlassianGrant,
): Promise<{ userId: string; created: boolean; lostScopes: string[] }> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await svc.db.kysely.transaction().execute(async (trx) => {
        const ea = await findExternalAccount(trx, instance.id, grant.profile.accountId);
        if (ea) {
          // A banned or locked user's sign-in changes nothing, not even the stored tokens.
          await assertUserMayAuthenticate(trx, instance.id, ea.user_id);
          await refreshFromGrant(trx, svc, ea, grant, true);
          await syncSiteOrganizations(trx, instance, ea.user_id, svc.now());
          return { userId: ea.user_id, created: false, lostScopes: lostScopes(ea, grant) };
        }
        const user = await createUser(trx, svc, instance, grant);
        await insertExternalAccount(trx, svc, instance, user.id, grant);
        await emitUserEvent(trx, instance.id, user.id, "user.created", svc.now());
        await syncSiteOrganizations(trx, instance, user.id, svc.now());
        return { userId: user.id, created: true, lostScopes: [] };
      });
    } catch (err) {
      // Two first sign-ins of one Atlassian account raced: the loser signs in to the winner's user.
      // (Or two first sign-ins of one site: the loser joins the winner's site organization.)
      if (attempt === 0 && isUniqueViolation(err)) continue;
      throw err;
    }
  }
}

/** Connect (or reauthorize, or add scopes/sites) for a signed-in user. */
export async function connectAtlassian(
  svc: Services,
  instance: Instance,
  userId: string,
  grant: AtlassianGrant,
): Promise<void> {
  await svc.db.kysely.transaction().execute(async (trx) => {
    await assertUserMayAuthenticate(trx, instance.id, userId);
    const ea = await findExternalAccount(trx, instance.id, grant.profile.accountId);
    if (ea && ea.user_id !== userId) {
      throw new ApiError("external_account_exists");
    }
    if (ea) await refreshFromGrant(trx, svc, ea, grant, false);
    else {
      await insertExternalAccount(trx, svc, instance, userId, grant);
      // The user's JSON lists its external accounts: it changed too.
      await emitUserEvent(trx, instance.id, userId, "user.updated", svc.now());
    }
    await syncSiteOrganizations(trx, instance, userId, svc.now());
  });
}
