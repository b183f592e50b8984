import type { EmailAddressTable, ExternalAccountTable, UserTable } from "../db/schema.js";
import type { AtlassianSite } from "../providers/atlassian/sites.js";

/**
 * A user in Clerk's Backend API shape, plus Foyer's Atlassian sites and token status. Never
 * carries a token. Frontend and Backend API both serve this (the Frontend API drops
 * private_metadata).
 */
export function externalAccountJson(ea: ExternalAccountTable) {
  const sites = JSON.parse(ea.sites) as AtlassianSite[];
  const profile = JSON.parse(ea.profile) as { nickname?: string };
  return {
    object: "external_account" as const,
    id: ea.id,
    provider: ea.provider,
    identification_id: ea.id,
    provider_user_id: ea.provider_user_id,
    approved_scopes: ea.approved_scopes,
    email_address: ea.email_address ?? "",
    first_name: ea.first_name ?? "",
    last_name: ea.last_name ?? "",
    image_url: ea.image_url ?? "",
    username: ea.username ?? profile.nickname ?? null,
    label: sites.find((s) => s.id === ea.last_added_site_id)?.name ?? sites[0]?.name ?? null,
    public_metadata: {},
    verification: { status: "verified" as const, strategy: ea.provider, attempts: null, expire_at: null },
    status: ea.status,
    sites,
    last_added_site_id: ea.last_added_site_id,
    access_token_expires_at: ea.access_token_expires_at,
    created_at: ea.created_at,
    updated_at: ea.updated_at,
  };
}

export function emailAddressJson(e: EmailAddressTable) {
  return {
    object: "email_address" as const,
    id: e.id,
    email_address: e.email_address,
    verification: e.verified
      ? { status: "verified" as const, strategy: e.verification_strategy ?? "from_oauth_atlassian" }
      : { status: "unverified" as const, strategy: e.verification_strategy ?? "from_oauth_atlassian" },
    linked_to: [],
    created_at: e.created_at,
  };
}

export function userJson(
  user: UserTable,
  emails: EmailAddressTable[],
  externalAccounts: ExternalAccountTable[],
  opts: { includePrivate: boolean } = { includePrivate: true },
) {
  return {
    object: "user" as const,
    id: user.id,
    first_name: user.first_name,
    last_name: user.last_name,
    username: user.username,
    image_url: user.image_url ?? "",
    has_image: Boolean(user.image_url),
    primary_email_address_id: user.primary_email_address_id,
    email_addresses: emails.map(emailAddressJson),
    external_accounts: externalAccounts.map(externalAccountJson),
    public_metadata: JSON.parse(user.public_metadata) as Record<string, unknown>,
    ...(opts.includePrivate
      ? { private_metadata: JSON.parse(user.private_metadata) as Record<string, unknown> }
      : {}),
    unsafe_metadata: JSON.parse(user.unsafe_metadata) as Record<string, unknown>,
    locale: user.locale,
    last_sign_in_at: user.last_sign_in_at,
    created_at: user.created_at,
    updated_at: user.updated_at,
  };
}
