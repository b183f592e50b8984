import { describe, expect, it } from "vitest";
import {
  effectiveExpiresIn,
  processAuthorizationCodeResponse,
  processRefreshResponse,
} from "./token-endpoint.js";

const settings = { authUrl: "https://auth.atlassian.com", timeoutMs: 2_000 };
const client = { clientId: "client-id", clientSecret: "client-secret" };
const NOW = 1_700_000_000_000;

const answer = (expiresIn: unknown) =>
  new Response(
    JSON.stringify({
      access_token: "at",
      token_type: "Bearer",
      refresh_token: "rt",
      ...(expiresIn === undefined ? {} : { expires_in: expiresIn }),
    }),
    { status: 200, headers: { "content-type": "application/json" } },
  );

describe("expires_in from Atlassian's token endpoint", () => {
  // [what Atlassian sent, the lifetime Foyer stores (s)]
  const table: Array<[unknown, number]> = [
    [undefined, 3600],
    [3600, 3600],
    [0, 60],
    [1, 60],
    [59, 60],
    [60, 60],
    [61, 61],
    [86_400, 86_400],
    [86_401, 86_400],
    [10 ** 9, 86_400],
  ];
  it.each(table)("expires_in %s → %s s (refresh and code exchange)", async (sent, seconds) => {
    const refreshed = await processRefreshResponse(settings, client, answer(sent), () => NOW);
    expect(refreshed.expiresAt).toBe(NOW + seconds * 1000);
    const exchanged = await processAuthorizationCodeResponse(settings, client, answer(sent), () => NOW);
    expect(exchanged.expiresAt).toBe(NOW + seconds * 1000);
  });

  it("clamps whatever reaches it: non-numbers are the documented 3600", () => {
    expect(effectiveExpiresIn("3600")).toBe(3600);
    expect(effectiveExpiresIn(Number.NaN)).toBe(3600);
    expect(effectiveExpiresIn(Number.POSITIVE_INFINITY)).toBe(3600);
    expect(effectiveExpiresIn(-5)).toBe(60);
    expect(effectiveExpiresIn(120.7)).toBe(120);
  });
});
