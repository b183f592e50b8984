/**
 * One OAuth client the signed-in user approved at the instance's authorization server:
 * `GET <fapi>/v1/me/oauth_consents` lists them (one per client, newest approval first) and
 * `DELETE <fapi>/v1/me/oauth_consents/{client_id}` withdraws one with every token issued under it.
 */
export interface OAuthConsentJSON {
  object: "oauth_consent";
  /** The client's id: random for a registered client, a URL for a metadata-document client. */
  client_id: string;
  /** The client's registered name (a metadata document's host when it has none). */
  client_name: string;
  /** Where the client lives: its first redirect URI's host, or its metadata document's host; null when unknown. */
  client_host: string | null;
  /** OpenID scopes approved (`openid`, `profile`, `email`, `offline_access`). */
  scopes: string[];
  /** Resource URL → the scopes approved for it. */
  resources: Record<string, string[]>;
  /** When the newest approval was given (milliseconds since the epoch). */
  created_at: number;
}
