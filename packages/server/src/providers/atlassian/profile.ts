import { ApiError } from "../../errors/api-error.js";
import type { AtlassianSettings } from "../../services.js";
import { meEndpoint } from "./endpoints.js";
import { getJson } from "./outbound.js";

/**
 * The Atlassian identity from GET https://api.atlassian.com/me (scope read:me). Only account_id
 * is required: profile visibility can hide the email, and email_verified is undocumented, so an
 * email counts as verified only when Atlassian explicitly says `email_verified: true`.
 */
export interface AtlassianProfile {
  accountId: string;
  accountStatus: string | undefined;
  name: string | undefined;
  nickname: string | undefined;
  email: string | undefined;
  emailVerified: boolean;
  picture: string | undefined;
  locale: string | undefined;
  zoneinfo: string | undefined;
  /** The response as received, for the dashboard and the user JSON (never holds a secret). */
  raw: Record<string, unknown>;
}

const str = (v: unknown, max = 500): string | undefined =>
  typeof v === "string" && v.trim() !== "" ? v.trim().slice(0, max) : undefined;

/** An http(s) URL or nothing: an avatar URL ends up in an <img src>, so no other scheme passes. */
const httpUrl = (v: unknown): string | undefined => {
  const s = str(v, 2000);
  if (!s) return undefined;
  try {
    const u = new URL(s);
    return u.protocol === "https:" || u.protocol === "http:" ? u.href : undefined;
  } catch {
    return undefined;
  }
};

export function parseProfile(body: unknown): AtlassianProfile | undefined {
  if (!body || typeof body !== "object" || Array.isArray(body)) return undefined;
  const b = body as Record<string, unknown>;
  const accountId = str(b.account_id, 200);
  if (!accountId) return undefined;
  const email = str(b.email, 320);
  return {
    accountId,
    accountStatus: str(b.account_status, 50),
    name: str(b.name, 200),
    nickname: str(b.nickname, 200),
    email: email && /^[^\s@]+@[^\s@]+$/.test(email) ? email.toLowerCase() : undefined,
    emailVerified: b.email_verified === true,
    picture: httpUrl(b.picture),
    locale: str(b.locale, 20),
    zoneinfo: str(b.zoneinfo, 60),
    raw: b,
  };
}

/**
 * GET /me with the user's access token (atlassian-3lo §5). 5xx and 429 are "try again"; a 403
 * means the app lacks the User identity API, which only the app's owner can fix.
 */
export async function fetchProfile(
  settings: Pick<AtlassianSettings, "apiUrl" | "timeoutMs">,
  accessToken: string,
): Promise<AtlassianProfile> {
  const res = await getJson(settings, meEndpoint(settings), accessToken);
  if (res.status >= 500 || res.status === 429) {
    throw new ApiError("oauth_provider_unavailable", {
      headers: { "Retry-After": res.headers.get("retry-after") ?? "5" },
    });
  }
  if (res.status === 403) {
    throw new ApiError("oauth_provider_error", {
      longMessage:
        "Atlassian refused to share the profile: the app must have the User identity API (read:me) enabled.",
    });
  }
  if (res.status !== 200) {
    throw new ApiError("oauth_provider_error", { meta: { endpoint: "me", status: res.status } });
  }
  const profile = parseProfile(res.body);
  if (!profile)
    throw new ApiError("oauth_provider_error", { meta: { endpoint: "me", reason: "no account_id" } });
  return profile;
}
