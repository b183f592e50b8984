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
  /** `atlassian` for people; `app` and `customer` accounts never sign in. */
  accountType: string | undefined;
  accountStatus: string | undefined;
  name: string | undefined;
  nickname: string | undefined;
  email: string | undefined;
  emailVerified: boolean;
  picture: string | undefined;
  locale: string | undefined;
  zoneinfo: string | undefined;
  /** Values that were too long (cut or dropped) or unsafe (dropped): the caller logs them. */
  adjusted: ProfileAdjustment[];
  /** The response as received, for the dashboard and the user JSON (never holds a secret). */
  raw: Record<string, unknown>;
}

export interface ProfileAdjustment {
  field: "name" | "nickname" | "email" | "picture" | "locale" | "zoneinfo";
  action: "cut" | "dropped";
  reason: "too_long" | "not_https" | "invalid";
  length: number;
}

/** The longest value kept per field; a display name is cut there, anything else is dropped. */
export const PROFILE_LIMITS = {
  name: 200,
  nickname: 200,
  email: 320,
  picture: 2000,
  locale: 35,
  zoneinfo: 60,
};

const text = (v: unknown): string | undefined =>
  typeof v === "string" && v.trim() !== "" ? v.trim() : undefined;

function isLoopback(hostname: string): boolean {
  return ["localhost", "127.0.0.1", "[::1]"].includes(hostname) || hostname.endsWith(".localhost");
}

export function parseProfile(body: unknown): AtlassianProfile | undefined {
  if (!body || typeof body !== "object" || Array.isArray(body)) return undefined;
  const b = body as Record<string, unknown>;
  const accountId = text(b.account_id);
  if (!accountId || accountId.length > 200) return undefined;
  const adjusted: ProfileAdjustment[] = [];
  const drop = (field: ProfileAdjustment["field"], reason: ProfileAdjustment["reason"], value: string) => {
    adjusted.push({ field, action: "dropped", reason, length: value.length });
    return undefined;
  };
  // Names are shown: a long one is cut (and logged), never refused, so the person can still sign in.
  const displayText = (field: "name" | "nickname") => {
    const v = text(b[field]);
    if (v === undefined || v.length <= PROFILE_LIMITS[field]) return v;
    adjusted.push({ field, action: "cut", reason: "too_long", length: v.length });
    return v.slice(0, PROFILE_LIMITS[field]);
  };
  // Identifiers are not cut (a cut email or URL is another one): too long, they are dropped.
  const whole = (field: "email" | "locale" | "zoneinfo" | "picture") => {
    const v = text(b[field]);
    return v !== undefined && v.length > PROFILE_LIMITS[field] ? drop(field, "too_long", v) : v;
  };
  const rawEmail = whole("email");
  const email =
    rawEmail === undefined || /^[^\s@]+@[^\s@]+$/.test(rawEmail)
      ? rawEmail?.toLowerCase()
      : drop("email", "invalid", rawEmail);
  return {
    accountId,
    accountType: text(b.account_type)?.slice(0, 50),
    accountStatus: text(b.account_status)?.slice(0, 50),
    name: displayText("name"),
    nickname: displayText("nickname"),
    email,
    emailVerified: b.email_verified === true,
    picture: avatarUrl(whole("picture"), drop),
    locale: whole("locale"),
    zoneinfo: whole("zoneinfo"),
    adjusted,
    raw: b,
  };
}

/**
 * An avatar URL ends up in an <img src> on pages Foyer and apps serve: https only (plain http
 * only on a loopback host, the local emulator), so no other scheme and no mixed content passes.
 */
function avatarUrl(
  value: string | undefined,
  drop: (field: "picture", reason: "not_https" | "invalid", value: string) => undefined,
): string | undefined {
  if (!value) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return drop("picture", "invalid", value);
  }
  if (url.protocol === "https:" || (url.protocol === "http:" && isLoopback(url.hostname))) return url.href;
  return drop("picture", "not_https", value);
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
