import { ApiError } from "../../errors/api-error.js";

/**
 * Atlassian scope strings: classic (`read:jira-work`, `read:confluence-content.all`), granular
 * (`read:board-scope:jira-software`) and Auth0's `offline_access`. Sent space-separated; commas
 * do not work at Atlassian.
 */
export const READ_ME = "read:me";
export const OFFLINE_ACCESS = "offline_access";
export const DEFAULT_SCOPES = [READ_ME, "read:jira-user", OFFLINE_ACCESS] as const;
export const MAX_SCOPES = 50;

const SCOPE_PATTERN = /^(offline_access|openid|profile|email|[a-z]+(:[a-z0-9][a-z0-9._-]*){1,3})$/;

export function isValidScope(scope: string): boolean {
  return scope.length <= 100 && SCOPE_PATTERN.test(scope);
}

/** Checks each scope's syntax; the error names the offending index for field-level display. */
export function assertValidScopes(values: readonly string[], param = "scopes"): void {
  values.forEach((scope, i) => {
    if (!isValidScope(scope)) {
      throw new ApiError("atlassian_scope_invalid", {
        longMessage: `"${scope}" is not an Atlassian scope (e.g. read:jira-work, read:confluence-content.all, offline_access). Scopes have no spaces or commas.`,
        meta: { param_name: `${param}.${i}` },
      });
    }
  });
}

/**
 * Identity scopes: about the user, not about a site, so a consent asking only for these needs
 * no site (atlassian-3lo §11). Every other scope is for a product on a site.
 */
export const IDENTITY_SCOPES: ReadonlySet<string> = new Set([
  READ_ME,
  "read:account",
  OFFLINE_ACCESS,
  "openid",
  "profile",
  "email",
  "report:personal-data",
]);

/** Scopes that need an Atlassian site (everything but the identity scopes). */
export function isSiteBound(scope: string): boolean {
  return !IDENTITY_SCOPES.has(scope);
}

/** read:me first and always present, duplicates dropped, order otherwise kept. */
export function normaliseScopes(scopes: readonly string[]): string[] {
  return [...new Set([READ_ME, ...scopes])];
}

export function parseScopeString(value: string | undefined | null): string[] {
  return (value ?? "").split(/[\s,]+/).filter(Boolean);
}
