import type { ErrorCode, ExternalAccountJSON } from "@foyer/contract";
import type { ExternalAccount } from "./external-account.js";

/**
 * An Atlassian account in Clerk's external-account shape plus Foyer's sites and grant status.
 * The same for both audiences: it never carries a token.
 */
export function externalAccountJson(account: ExternalAccount): ExternalAccountJSON {
  const ea = account.row;
  return {
    object: "external_account",
    id: ea.id,
    provider: ea.provider,
    identification_id: ea.id,
    provider_user_id: ea.provider_user_id,
    approved_scopes: ea.approved_scopes,
    email_address: ea.email_address ?? "",
    first_name: ea.first_name ?? "",
    last_name: ea.last_name ?? "",
    image_url: ea.image_url ?? "",
    username: account.username,
    label: account.label,
    public_metadata: {},
    verification: { status: "verified", strategy: ea.provider, attempts: null, expire_at: null },
    status: ea.status,
    sites: account.sites,
    last_added_site_id: ea.last_added_site_id,
    access_token_expires_at: ea.access_token_expires_at,
    reauthorization_reason: ea.reauthorization_reason,
    last_refreshed_at: ea.last_refreshed_at,
    last_refresh_error: (ea.last_refresh_error as ErrorCode | null) ?? null,
    created_at: ea.created_at,
    updated_at: ea.updated_at,
  };
}
