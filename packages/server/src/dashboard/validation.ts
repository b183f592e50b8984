import { z } from "zod";
import { ApiError } from "../errors/api-error.js";
import { validate } from "../http/body.js";
import { isLoopbackHost, parseOrigin } from "../instances/origins.js";
import { isValidScope } from "../providers/atlassian/scopes.js";

/**
 * The input checks the Platform API makes in its route handlers, made the same way here so an
 * operator gets the same error code and param_name in the dashboard as over the API
 * (dashboard-validation.test.ts holds the two side by side). The domain functions called
 * afterwards do the rest of the checking for both.
 */

const applicationNameSchema = z.strictObject({ name: z.string().trim().min(1).max(100) });

export function applicationName(value: string | undefined): string {
  return validate(applicationNameSchema, { name: value }).name;
}

/** A production Frontend API URL: an https origin (plain http only on loopback hosts). */
export function frontendApiUrl(value: string | undefined): string | undefined {
  if (!value) return undefined;
  if (value.length > 200) {
    throw new ApiError("form_param_invalid", { meta: { param_name: "frontend_api_url" } });
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ApiError("form_param_invalid", { meta: { param_name: "frontend_api_url" } });
  }
  const secure = url.protocol === "https:" || (url.protocol === "http:" && isLoopbackHost(url.hostname));
  if (
    !secure ||
    url.username ||
    url.password ||
    url.search ||
    url.hash ||
    (url.pathname !== "/" && url.pathname !== "")
  ) {
    throw new ApiError("form_param_invalid", {
      longMessage:
        "frontend_api_url must be an https origin such as https://clerk.example.com (http only on loopback).",
      meta: { param_name: "frontend_api_url" },
    });
  }
  return url.origin;
}

/** Allowed origins: each an exact origin, normalised, or a field-level error naming its index. */
export function allowedOrigins(values: string[]): string[] {
  return values.map((value, i) => {
    const origin = value.length <= 300 ? parseOrigin(value) : undefined;
    if (!origin) {
      throw new ApiError("form_param_invalid", {
        longMessage: `"${value}" is not an exact origin such as https://app.example.com (no path, no wildcard).`,
        meta: { param_name: `allowed_origins.${i}` },
      });
    }
    return origin;
  });
}

/** Scope strings, checked one by one for Atlassian's syntax. */
export function scopes(values: string[]): string[] {
  values.forEach((scope, i) => {
    if (!isValidScope(scope)) {
      throw new ApiError("atlassian_scope_invalid", {
        longMessage: `"${scope}" is not an Atlassian scope (e.g. read:jira-work, read:confluence-content.all, offline_access). Scopes have no spaces or commas.`,
        meta: { param_name: `scopes.${i}` },
      });
    }
  });
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
