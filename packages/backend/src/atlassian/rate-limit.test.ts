import { parseRateLimit } from "@foyer/backend";
import { describe, expect, it } from "vitest";

describe("parseRateLimit", () => {
  it("reads Retry-After as seconds or as an HTTP date", () => {
    const now = Date.parse("2026-03-02T10:00:00Z");
    expect(parseRateLimit(new Headers({ "retry-after": "7" }), now).retryAfter).toBe(7);
    const date = new Headers({ "retry-after": "Mon, 02 Mar 2026 10:00:30 GMT" });
    expect(parseRateLimit(date, now).retryAfter).toBe(30);
    expect(parseRateLimit(new Headers(), now).retryAfter).toBeUndefined();
  });

  it("ignores malformed values instead of throwing", () => {
    const rl = parseRateLimit(
      new Headers({
        "retry-after": "soon",
        "x-ratelimit-limit": "lots",
        "x-ratelimit-reset": "tomorrow",
        "beta-ratelimit": '"burst-based";r=x;t=2, ;',
      }),
    );
    expect(rl).toMatchObject({ retryAfter: undefined, limit: undefined, reset: undefined });
    expect(rl.limits).toEqual([{ name: "burst-based", params: { t: 2 } }]);
  });

  it("reads several policies and matches reasons as sent", () => {
    const rl = parseRateLimit(
      new Headers({
        "beta-ratelimit-policy": '"burst-based";q=100;w=1, "global-app-quota";q=65000;w=3600',
        "ratelimit-reason": "jira-per-issue-on-write",
        "x-ratelimit-nearlimit": "false",
      }),
    );
    expect(rl.policies.map((p) => p.name)).toEqual(["burst-based", "global-app-quota"]);
    expect(rl).toMatchObject({ reason: "jira-per-issue-on-write", nearLimit: false });
  });
});
