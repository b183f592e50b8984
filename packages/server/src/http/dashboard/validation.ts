import { z } from "zod";
import { parseFrontendApiUrl } from "../../instances/frontend-api-url.js";
import { parseAllowedOrigins } from "../../instances/origins.js";
import { assertValidScopes } from "../../providers/atlassian/scopes.js";
import { validate } from "../body.js";

/**
 * Form input checks, through the same functions the Platform API uses, so an operator gets the
 * same error code and param_name in the dashboard as over the API
 * (dashboard-validation.test.ts holds the two side by side).
 */

const applicationNameSchema = z.strictObject({ name: z.string().trim().min(1).max(100) });

export function applicationName(value: string | undefined): string {
  return validate(applicationNameSchema, { name: value }).name;
}

/** A production Frontend API URL, checked as the Platform API checks it. */
export function frontendApiUrl(value: string | undefined): string | undefined {
  return value ? parseFrontendApiUrl(value) : undefined;
}

/** Allowed origins, checked as the Platform API checks them. */
export const allowedOrigins = parseAllowedOrigins;

/** Scope strings, checked as the Platform API checks them. */
export function scopes(values: string[]): string[] {
  assertValidScopes(values);
  return values;
}

const credentialsSchema = z.strictObject({
  client_id: z.string().max(200).optional(),
  client_secret: z.string().max(500).optional(),
});

/** Client ID and Secret lengths, as the Platform API's schema limits them. */
export function credentials(clientId: string | undefined, clientSecret: string | undefined) {
  return validate(credentialsSchema, { client_id: clientId, client_secret: clientSecret });
}
