import { SESSION_COOKIE } from "@foyer/contract";
import { type TokenErrorCode, TokenVerificationError } from "./errors.js";
import { type SessionTokenClaims, type VerifyTokenOptions, verifyToken } from "./verify-token.js";

/** The cookie @foyer/js keeps on the app's own domain for server-rendered pages (`__session`). */
export { SESSION_COOKIE };

/**
 * The outcome of authenticating a request: signed in with the verified claims, or signed out with
 * the reason (switch on `status`, then on `reason`).
 */
export type AuthState =
  | {
      status: "signed-in";
      userId: string;
      sessionId: string;
      /** The session's active organization (`o.id`), as Clerk's `orgId`; null when none. */
      orgId: string | null;
      /** `org:admin` or `org:member`, as Clerk's `orgRole`; null when no organization is active. */
      orgRole: string | null;
      orgSlug: string | null;
      /** Foyer: the Atlassian cloud id of the active site organization; null otherwise. */
      orgCloudId: string | null;
      claims: SessionTokenClaims;
    }
  | {
      status: "signed-out";
      /** `session_token_missing`, or why the token was refused. */
      reason: "session_token_missing" | TokenErrorCode;
    };

/** Headers as Request, node:http and Express carry them. */
type HeaderSource = Headers | Record<string, string | string[] | undefined>;

function header(headers: HeaderSource, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const v = headers[name];
  return Array.isArray(v) ? v.join(name === "cookie" ? "; " : ", ") : v;
}

function cookie(cookieHeader: string | undefined, name: string): string | undefined {
  if (!cookieHeader) return undefined;
  for (const part of cookieHeader.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim() || undefined;
  }
  return undefined;
}

/** The session token a request carries: `Authorization: Bearer` first, else the `__session` cookie. */
export function sessionTokenFrom(headers: HeaderSource): string | undefined {
  const auth = /^Bearer\s+(\S+)\s*$/i.exec(header(headers, "authorization") ?? "");
  return auth?.[1] ?? cookie(header(headers, "cookie"), SESSION_COOKIE);
}

/** Turns headers into an AuthState; errors other than token refusals (bugs) are thrown. */
export async function authenticateHeaders(
  headers: HeaderSource,
  options: VerifyTokenOptions,
): Promise<AuthState> {
  const token = sessionTokenFrom(headers);
  if (!token) return { status: "signed-out", reason: "session_token_missing" };
  try {
    const claims = await verifyToken(token, options);
    const org = claims.o;
    return {
      status: "signed-in",
      userId: claims.sub,
      sessionId: claims.sid,
      orgId: org?.id ?? null,
      // Clerk's parser adds the prefix the v2 claim leaves out.
      orgRole: org?.rol ? `org:${org.rol}` : null,
      orgSlug: org?.slg ?? null,
      orgCloudId: org?.cloud_id ?? null,
      claims,
    };
  } catch (err) {
    if (err instanceof TokenVerificationError && err.code !== "verifier_misconfigured") {
      return { status: "signed-out", reason: err.code };
    }
    throw err;
  }
}

/**
 * Who sent a web-standard Request: signed in (with the verified claims) or signed out (with the
 * reason). A misconfigured verifier throws, so a deployment mistake is loud rather than a
 * silent "everyone is signed out".
 */
export function authenticateRequest(request: Request, options: VerifyTokenOptions): Promise<AuthState> {
  return authenticateHeaders(request.headers, options);
}
