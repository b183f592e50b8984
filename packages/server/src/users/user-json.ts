import type { BackendUserJSON, EmailAddressJSON, FrontendUserJSON } from "@foyer/contract";
import type { EmailAddressTable, UserTable } from "../db/schema.js";
import type { ExternalAccount } from "../external-accounts/external-account.js";
import { externalAccountJson } from "../external-accounts/external-account-json.js";

/**
 * Who a user's JSON is for. The Backend API (secret key) and the dashboard see private_metadata;
 * the Frontend API (the browser) never does. Required, so no caller gets the private view by default.
 */
export type UserAudience = "backend" | "frontend";

export function emailAddressJson(e: EmailAddressTable): EmailAddressJSON {
  return {
    object: "email_address",
    id: e.id,
    email_address: e.email_address,
    verification: {
      status: e.verified ? "verified" : "unverified",
      strategy: e.verification_strategy ?? "from_oauth_atlassian",
    },
    linked_to: [],
    created_at: e.created_at,
  };
}

/**
 * A user in Clerk's shape, plus Foyer's Atlassian sites and token status. Never carries a token.
 */
export function userJson(
  user: UserTable,
  emails: EmailAddressTable[],
  accounts: ExternalAccount[],
  audience: "backend",
): BackendUserJSON;
export function userJson(
  user: UserTable,
  emails: EmailAddressTable[],
  accounts: ExternalAccount[],
  audience: "frontend",
): FrontendUserJSON;
export function userJson(
  user: UserTable,
  emails: EmailAddressTable[],
  accounts: ExternalAccount[],
  audience: UserAudience,
): BackendUserJSON | FrontendUserJSON;
export function userJson(
  user: UserTable,
  emails: EmailAddressTable[],
  accounts: ExternalAccount[],
  audience: UserAudience,
): BackendUserJSON | FrontendUserJSON {
  const json: FrontendUserJSON = {
    object: "user",
    id: user.id,
    first_name: user.first_name,
    last_name: user.last_name,
    username: user.username,
    image_url: user.image_url ?? "",
    has_image: Boolean(user.image_url),
    primary_email_address_id: user.primary_email_address_id,
    email_addresses: emails.map(emailAddressJson),
    external_accounts: accounts.map(externalAccountJson),
    public_metadata: JSON.parse(user.public_metadata) as Record<string, unknown>,
    unsafe_metadata: JSON.parse(user.unsafe_metadata) as Record<string, unknown>,
    locale: user.locale,
    last_sign_in_at: user.last_sign_in_at,
    banned: user.banned === 1,
    locked: user.locked === 1,
    created_at: user.created_at,
    updated_at: user.updated_at,
  };
  if (audience === "frontend") return json;
  return { ...json, private_metadata: JSON.parse(user.private_metadata) as Record<string, unknown> };
}
