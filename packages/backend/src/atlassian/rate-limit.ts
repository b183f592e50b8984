/**
 * What Jira and Confluence say about rate limits, read from a response's headers. Atlassian
 * enforces three limits at once for OAuth 2.0 apps (an hourly points quota shared by every tenant
 * of the app, a per-tenant burst bucket, per-issue writes) and names the one that tripped in
 * `RateLimit-Reason` ({@link https://developer.atlassian.com/cloud/jira/platform/rate-limiting/ Jira rate limiting}).
 */

/** One entry of `Beta-RateLimit-Policy` (`"burst-based";q=100;w=1`) or `Beta-RateLimit` (`"burst-based";r=0;t=1`). */
export interface AtlassianRateLimitItem {
  /** The policy's name, e.g. `burst-based` or `global-app-quota`. */
  name: string;
  /** Its numeric parameters: `q` (quota) and `w` (window, s) on a policy; `r` (remaining) and `t` (seconds to reset) on a limit. */
  params: Record<string, number>;
}

/** The rate-limit headers of one Jira/Confluence response; every field is undefined when absent. */
export interface AtlassianRateLimit {
  /** `Retry-After` in seconds (a number of seconds or an HTTP date). */
  retryAfter: number | undefined;
  /** `X-RateLimit-Limit`. */
  limit: number | undefined;
  /** `X-RateLimit-Remaining`. */
  remaining: number | undefined;
  /** `X-RateLimit-Reset` (ISO 8601): when the limit that tripped resets. */
  reset: Date | undefined;
  /** `X-RateLimit-NearLimit: true`: slow down before the 429s start. */
  nearLimit: boolean | undefined;
  /**
   * `RateLimit-Reason`, e.g. `jira-burst-based`, `jira-quota-global-based`,
   * `jira-per-issue-on-write`. Match loosely (`includes("quota")`): other values are seen.
   */
  reason: string | undefined;
  /** `Beta-RateLimit-Policy`, parsed. */
  policies: AtlassianRateLimitItem[];
  /** `Beta-RateLimit`, parsed. */
  limits: AtlassianRateLimitItem[];
  /** `Beta-Retry-After` in seconds. */
  betaRetryAfter: number | undefined;
}

const num = (value: string | null): number | undefined => {
  if (value === null || value.trim() === "") return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
};

/** `Retry-After` as seconds from `nowMs` (RFC 9110 §10.2.3: delay-seconds or an HTTP date). */
export function retryAfterSeconds(value: string | null, nowMs = Date.now()): number | undefined {
  const n = num(value);
  if (n !== undefined) return Math.max(0, n);
  if (!value) return undefined;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - nowMs) / 1000));
}

/** A list of `"name";k=v;k=v` items, comma separated (RFC 8941's shape, read leniently). */
function items(value: string | null): AtlassianRateLimitItem[] {
  if (!value) return [];
  const out: AtlassianRateLimitItem[] = [];
  for (const item of value.split(",")) {
    const [rawName, ...rawParams] = item.split(";").map((p) => p.trim());
    const name = rawName?.replace(/^"|"$/g, "");
    if (!name) continue;
    const params: Record<string, number> = {};
    for (const p of rawParams) {
      const [k, v] = p.split("=");
      const n = num(v ?? null);
      if (k && n !== undefined) params[k.trim()] = n;
    }
    out.push({ name, params });
  }
  return out;
}

/** Reads every rate-limit header Jira and Confluence send; never throws on a malformed one. */
export function parseRateLimit(headers: Headers, nowMs = Date.now()): AtlassianRateLimit {
  const reset = headers.get("x-ratelimit-reset");
  const resetAt = reset ? new Date(reset) : undefined;
  const near = headers.get("x-ratelimit-nearlimit");
  return {
    retryAfter: retryAfterSeconds(headers.get("retry-after"), nowMs),
    limit: num(headers.get("x-ratelimit-limit")),
    remaining: num(headers.get("x-ratelimit-remaining")),
    reset: resetAt && !Number.isNaN(resetAt.getTime()) ? resetAt : undefined,
    nearLimit: near === null ? undefined : near.trim().toLowerCase() === "true",
    reason: headers.get("ratelimit-reason") ?? undefined,
    policies: items(headers.get("beta-ratelimit-policy")),
    limits: items(headers.get("beta-ratelimit")),
    betaRetryAfter: retryAfterSeconds(headers.get("beta-retry-after"), nowMs),
  };
}
