/**
 * Success messages shown after a redirect, chosen by a fixed code in the query string, so a
 * crafted link can pick one of these texts but never put its own words on the page.
 */
export const NOTICES = {
  application_created: "Application created with its development instance.",
  application_renamed: "Application renamed.",
  application_deleted: "Application deleted.",
  production_created: "Production instance created. Configure its Atlassian connection next.",
  secret_key_created: "New secret key created.",
  secret_key_revoked: "Secret key revoked. Servers using it can no longer call the Backend API.",
  signing_key_rotated:
    "Signing key rotated: new session tokens use the new key. Servers verifying with the PEM key must fetch the new one.",
  settings_saved: "Settings saved.",
  origin_added: "Allowed origin added.",
  origin_removed: "Allowed origin removed.",
  atlassian_site_added: "Allowed Atlassian site added.",
  atlassian_site_removed: "Allowed Atlassian site removed.",
  organizations_from_sites_saved: "Organizations from sites saved.",
  organization_created: "Organization created.",
  organization_renamed: "Organization renamed.",
  organization_deleted: "Organization deleted, with its memberships.",
  member_added: "Member added.",
  member_role_changed: "Role changed.",
  member_removed: "Member removed.",
  connection_saved: "Atlassian connection saved.",
  session_revoked: "Session revoked.",
  sessions_revoked: "All sessions of this user revoked.",
  user_deleted: "User deleted.",
  user_banned: "User banned: their sessions ended and they cannot sign in until unbanned.",
  user_unbanned: "User unbanned: they can sign in again.",
  user_locked: "User locked: their sessions ended and they cannot sign in until unlocked.",
  user_unlocked: "User unlocked: they can sign in again.",
  webhook_endpoint_created: "Webhook endpoint added. Reveal its signing secret to verify deliveries.",
  webhook_endpoint_deleted: "Webhook endpoint deleted.",
  webhook_endpoint_disabled: "Webhook endpoint disabled: it receives nothing until enabled.",
  webhook_endpoint_enabled: "Webhook endpoint enabled.",
  webhook_secret_rotated: "Signing secret rotated. The old one keeps signing for 24 hours.",
  webhook_test_sent: "Test event queued: it shows in the delivery log once sent.",
  webhook_replayed: "Queued for delivery again.",
  oauth_application_deleted: "OAuth client deleted: every approval of it and every token issued to it ended.",
  oauth_resource_added: "Resource added.",
  oauth_resource_removed: "Resource removed: no new token is issued for it.",
  oauth_registration_on: "Dynamic client registration turned on.",
  oauth_registration_off: "Dynamic client registration turned off.",
  oauth_grant_revoked: "Grant revoked: its refresh tokens ended; its access tokens end at their expiry.",
  webhook_replay_nothing: "No message failed since that time: nothing was replayed.",
} as const;

export type NoticeCode = keyof typeof NOTICES;

export function noticeText(code: string | undefined): string | undefined {
  return code && Object.hasOwn(NOTICES, code) ? NOTICES[code as NoticeCode] : undefined;
}

export function withNotice(path: string, code: NoticeCode): string {
  return `${path}${path.includes("?") ? "&" : "?"}notice=${code}`;
}
