import { describe, expect, it } from "vitest";
import { tokenApiError, tokenErrorCode } from "./token-api-error.js";
import { AtlassianTokenError, type TokenEndpointPhase, type TokenErrorKind } from "./token-error.js";

const error = (kind: TokenErrorKind, phase: TokenEndpointPhase, retryAfterSeconds?: number) =>
  new AtlassianTokenError(kind, phase, "test", { retryAfterSeconds });

describe("token-endpoint failures as the service's error codes", () => {
  it.each([
    ["grant_dead", "code_exchange", "oauth_code_invalid"],
    ["grant_dead", "refresh", "oauth_reauthorization_required"],
    ["invalid_client", "code_exchange", "oauth_invalid_client"],
    ["invalid_client", "refresh", "oauth_invalid_client"],
    ["unavailable", "code_exchange", "oauth_provider_unavailable"],
    ["unavailable", "refresh", "oauth_provider_unavailable"],
    ["nonsense", "code_exchange", "oauth_provider_error"],
    ["nonsense", "refresh", "oauth_provider_error"],
  ] as const)("%s at %s is %s", (kind, phase, code) => {
    expect(tokenErrorCode(error(kind, phase))).toBe(code);
    expect(tokenApiError(error(kind, phase)).code).toBe(code);
  });

  it("tells the client when to retry only for unavailable: the caller's wait, Atlassian's, or 5 s", () => {
    expect(tokenApiError(error("unavailable", "refresh", 30), { retryAfterSeconds: 12 }).headers).toEqual({
      "Retry-After": "12",
    });
    expect(tokenApiError(error("unavailable", "code_exchange", 30)).headers).toEqual({ "Retry-After": "30" });
    expect(tokenApiError(error("unavailable", "code_exchange")).headers).toEqual({ "Retry-After": "5" });
    expect(tokenApiError(error("invalid_client", "refresh"), { retryAfterSeconds: 12 }).headers).toEqual({});
  });

  it("keeps the caller's meta and the classified error as the (body-free) cause", () => {
    const err = error("grant_dead", "refresh");
    const api = tokenApiError(err, { meta: { external_account_id: "eac_1" } });
    expect(api.meta).toEqual({ external_account_id: "eac_1" });
    expect(api.cause).toBe(err);
  });
});
