/**
 * Every error Foyer answers with, in one place: a stable snake_case code, its HTTP status and a
 * message a person can act on. Callers `switch (err.code)` and the compiler checks the cases.
 * Codes are part of the public API: rename one only with a major version.
 */
export const ERRORS = {
  // Requests
  invalid_json: { status: 400, message: "The request body is not valid JSON." },
  json_too_deep: { status: 400, message: "The request body nests JSON too deeply." },
  request_body_too_large: { status: 413, message: "The request body is larger than 100 KB." },
  unsupported_media_type: { status: 415, message: "Send the body as application/json." },
  form_param_unknown: { status: 422, message: "The request has a field this endpoint does not accept." },
  form_param_invalid: { status: 422, message: "A field of the request has an invalid value." },
  form_param_missing: { status: 422, message: "A required field is missing." },
  form_identifier_exists: {
    status: 422,
    message: "That identifier is taken by another user. Try another.",
  },
  organization_slug_taken: {
    status: 422,
    message: "Another organization of this instance has that slug. Choose another.",
  },
  organization_membership_exists: {
    status: 422,
    message: "That user is already a member of this organization.",
  },
  organization_membership_required: {
    status: 403,
    message: "You are not a member of that organization, so it cannot be your active one.",
  },
  organization_logo_too_large: {
    status: 413,
    message: "The logo is larger than 1 MB. Upload a smaller image.",
  },
  organization_logo_unsupported: {
    status: 422,
    message: "The logo is not a PNG, JPEG, GIF or WebP image.",
  },
  organization_membership_limit_reached: {
    status: 403,
    message: "This organization has as many members as its max_allowed_memberships allows.",
  },
  query_param_invalid: { status: 400, message: "A query parameter has an invalid value." },
  request_characters_invalid: {
    status: 400,
    message:
      "The request's path or query contains a control character (such as NUL) or broken percent-encoding.",
  },
  https_required: {
    status: 400,
    message:
      "This request reached Foyer over plain http, or through a proxy that did not say it came over https (X-Forwarded-Proto). Use Foyer's https URL.",
  },
  resource_not_found: { status: 404, message: "Not found." },
  route_not_found: { status: 404, message: "There is no such endpoint." },
  host_not_served: {
    status: 421,
    message:
      "This server does not serve that host name. Use Foyer's public URL or an instance's Frontend API host.",
  },
  method_not_allowed: { status: 405, message: "This endpoint does not accept that method." },
  rate_limited: { status: 429, message: "Too many requests. Try again later." },
  internal_error: { status: 500, message: "Something went wrong on our side. It has been logged." },

  // Authentication of API callers
  platform_token_invalid: { status: 401, message: "The platform token is missing or wrong." },
  secret_key_invalid: { status: 401, message: "The secret key is missing, wrong or revoked." },
  cross_site_request_refused: {
    status: 403,
    message: "Cross-site requests that change state are refused.",
  },
  origin_not_allowed: {
    status: 403,
    message:
      "This page's origin is not one of the instance's allowed origins. Add it in the dashboard (the instance's settings, Allowed origins) or with PATCH /platform/v1/instances/{id} (allowed_origins).",
  },
  csrf_token_invalid: {
    status: 403,
    message: "This form is out of date or did not come from the dashboard. Reload the page and try again.",
  },

  // Applications and instances
  instance_environment_exists: {
    status: 409,
    message: "The application already has an instance for that environment.",
  },
  frontend_api_url_taken: { status: 409, message: "Another instance already uses that Frontend API URL." },
  secret_key_last: { status: 409, message: "An instance keeps at least one secret key." },
  secret_key_not_revealable: {
    status: 409,
    message:
      "Production secret keys are shown only once, when created; Foyer keeps no copy. Create a new key if this one is lost.",
  },
  resource_version_conflict: {
    status: 412,
    message:
      "Someone else changed these settings since you read them (If-Match does not match the current ETag). Read them again and re-apply your change.",
  },

  // Atlassian connection settings
  atlassian_client_id_missing: {
    status: 422,
    message: "Set the Client ID from Atlassian's developer console before enabling the connection.",
  },
  atlassian_client_secret_missing: {
    status: 422,
    message: "Set the Client Secret from Atlassian's developer console before enabling the connection.",
  },
  atlassian_custom_credentials_required: {
    status: 422,
    message: "Production instances and custom scopes need your own Atlassian Client ID and Secret.",
  },
  atlassian_scope_invalid: { status: 422, message: "A scope is not a valid Atlassian scope string." },
  atlassian_redirect_uri_insecure: {
    status: 422,
    message: "Production redirect URIs must use https (plain http only on loopback hosts).",
  },

  // Sign-in flow
  social_connection_disabled: { status: 422, message: "Sign in with Atlassian is not enabled." },
  oauth_sign_in_not_allowed: {
    status: 403,
    message: "This Atlassian connection is for connecting accounts only, not for signing in.",
  },
  redirect_url_not_allowed: {
    status: 400,
    message: "The redirect URL's origin is not one of the instance's allowed origins.",
  },
  oauth_state_invalid: {
    status: 400,
    message: "This sign-in link is invalid, already used or expired. Start signing in again.",
  },
  oauth_state_expired: {
    status: 400,
    message: "This sign-in took too long and expired. Start signing in again.",
  },
  oauth_access_denied: { status: 403, message: "You cancelled the sign-in on Atlassian." },
  atlassian_site_required: {
    status: 422,
    message:
      "Your Atlassian account has no site this app can use. You need access to at least one Atlassian site, such as Jira or Confluence.",
  },
  atlassian_site_not_allowed: {
    status: 403,
    message:
      "This app is only for people of certain Atlassian sites, and your Atlassian account gave access to none of them. Sign in again and pick one of your organisation's sites, or ask the app's administrator.",
  },
  atlassian_account_inactive: {
    status: 403,
    message: "This Atlassian account is closed or inactive and cannot sign in.",
  },
  atlassian_account_not_supported: {
    status: 403,
    message: "Only Atlassian user accounts can sign in here, not app or customer accounts.",
  },
  oauth_provider_unavailable: {
    status: 503,
    message: "Atlassian did not answer in time. Try again in a moment.",
  },
  oauth_invalid_client: {
    status: 502,
    message:
      "Atlassian refused this app's Client ID or Client Secret. The app developer must fix the connection settings.",
  },
  oauth_provider_error: { status: 502, message: "Atlassian answered in a way Foyer did not understand." },
  oauth_code_invalid: {
    status: 400,
    message: "Atlassian refused the sign-in code (expired or already used). Start signing in again.",
  },
  external_account_exists: {
    status: 409,
    message: "This Atlassian account is already connected to another user.",
  },
  external_account_mismatch: {
    status: 409,
    message:
      "Atlassian answered for a different Atlassian account than the one you chose, so nothing changed. On Atlassian's page, switch to that account, then try again.",
  },
  reverification_required: {
    status: 403,
    message:
      "Linking another Atlassian account needs a recent sign-in. Sign in again, then link the account.",
  },
  external_account_last_sign_in_method: {
    status: 409,
    message:
      "This Atlassian account is your only way to sign in, so it cannot be unlinked. Link another account first.",
  },
  user_banned: {
    status: 403,
    message: "This account has been banned from this application. Contact the application's support.",
  },
  user_locked: {
    status: 403,
    message: "This account is locked. Contact the application's support to unlock it.",
  },

  // Sessions
  session_not_found: { status: 404, message: "No such session for this client." },
  session_inactive: { status: 401, message: "The session has ended, expired or been revoked." },
  client_not_found: { status: 401, message: "This browser has no signed-in client." },

  // Atlassian tokens for the app
  oauth_reauthorization_required: {
    status: 409,
    message: "Atlassian no longer accepts this user's grant. Ask the user to reconnect Atlassian.",
  },
  oauth_missing_refresh_token: {
    status: 409,
    message: "The access token expired and no refresh token was granted (add the offline_access scope).",
  },

  // Storage
  // Webhooks
  webhook_url_invalid: {
    status: 422,
    message:
      "The webhook URL cannot be used: it must be https (plain http only to localhost on a development instance) and carry no user name or password.",
  },
  webhook_endpoint_limit_reached: {
    status: 422,
    message: "This instance has the most webhook endpoints allowed (50). Delete one first.",
  },

  // Authorization server (protocol errors stay OAuth-shaped, as oidc-provider renders them)
  oauth_redirect_uri_invalid: {
    status: 422,
    message:
      "A redirect URI cannot be used: it must be an absolute https URL without a fragment (plain http only to localhost on a development instance).",
  },
  oauth_application_limit_reached: {
    status: 422,
    message: "This instance has the most OAuth applications allowed (100). Delete one first.",
  },
  authorization_server_unavailable: {
    status: 500,
    message:
      "The authorization server needs a Node HTTP server (it answers on a listening Foyer, not through a socket-less request handler).",
  },
  oauth_interaction_invalid: {
    status: 400,
    message:
      "This sign-in request is over or was opened in another browser. Start again from the application.",
  },

  database_unavailable: {
    status: 503,
    message: "Foyer's database did not answer. Try again in a moment.",
  },
} as const satisfies Record<string, { status: number; message: string }>;

/** A code of the catalogue: the closed set `errors[].code` takes. */
export type ErrorCode = keyof typeof ERRORS;

/**
 * One error of an error answer, in Clerk's shape
 * ({@link https://clerk.com/docs/guides/development/custom-flows/error-handling Clerk's error handling}).
 * `meta.param_name` names the request field at fault, when there is one.
 */
export interface ErrorEntryJSON {
  code: ErrorCode;
  message: string;
  long_message: string;
  meta: Record<string, unknown>;
}

/** The body of every non-2xx answer of the Frontend, Backend and Platform APIs. */
export interface ErrorBodyJSON {
  errors: ErrorEntryJSON[];
}
