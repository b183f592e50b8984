/**
 * Checks an `/authorize` query the way Atlassian does before any login or consent happens.
 */
import { isSiteBound, isSupportedScope, parseScopeParam } from "../scopes.js";
import type { AuthorizationRequest, EmulatorState } from "../state.js";
import type { EmulatorApp } from "../types.js";
import { type AuthorizeProblem, problems } from "./problems.js";

export type ParsedAuthorize =
  | { ok: true; app: EmulatorApp; request: AuthorizationRequest }
  | { ok: false; problem: AuthorizeProblem };

export function parseAuthorizeRequest(state: EmulatorState, query: URLSearchParams): ParsedAuthorize {
  const fail = (problem: AuthorizeProblem): ParsedAuthorize => ({ ok: false, problem });
  if (query.has("resource")) return fail(problems.resourceParam());

  const app = state.apps.get(query.get("client_id") ?? "");
  if (!app) return fail(problems.unknownClient());
  const redirectUri = query.get("redirect_uri") ?? "";
  // Byte-equal, not URL-normalised: Atlassian counts a trailing slash as a different URL.
  if (redirectUri !== app.callbackUrl) return fail(problems.redirectMismatch());
  if (query.get("response_type") !== "code") return fail(problems.responseType());

  const scopes = parseScopeParam(query.get("scope") ?? undefined).filter(isSupportedScope);
  // offline_access alone asks for nothing at Atlassian's level.
  if (!scopes.some((s) => s !== "offline_access")) return fail(problems.noSupportedScope());
  const enabled = new Set([...app.scopes, "offline_access"]);
  const missing = scopes.filter((s) => !enabled.has(s));
  if (missing.length > 0) return fail(problems.scopesNotAdded(missing));

  const optional = (name: string) => query.get(name) ?? undefined;
  return {
    ok: true,
    app,
    request: {
      clientId: app.clientId,
      redirectUri,
      scopes,
      state: optional("state"),
      audience: optional("audience"),
      prompt: optional("prompt"),
      codeChallenge: optional("code_challenge"),
      codeChallengeMethod: optional("code_challenge_method"),
    },
  };
}

export function siteBoundScopes(request: AuthorizationRequest): string[] {
  return request.scopes.filter(isSiteBound);
}
