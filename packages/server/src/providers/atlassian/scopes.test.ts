import { describe, expect, it } from "vitest";
import { IDENTITY_SCOPES, isSiteBound } from "./scopes.js";

describe("isSiteBound", () => {
  it("treats the identity scopes as needing no site (atlassian-3lo §11)", () => {
    for (const scope of [
      "read:me",
      "read:account",
      "offline_access",
      "openid",
      "profile",
      "email",
      "report:personal-data",
    ]) {
      expect(isSiteBound(scope), scope).toBe(false);
    }
    expect([...IDENTITY_SCOPES].sort()).toEqual([
      "email",
      "offline_access",
      "openid",
      "profile",
      "read:account",
      "read:me",
      "report:personal-data",
    ]);
  });

  it("treats product scopes, classic and granular, as needing a site", () => {
    for (const scope of [
      "read:jira-work",
      "read:jira-user",
      "write:jira-work",
      "read:confluence-content.all",
      "read:space:confluence",
      "read:board-scope:jira-software",
      "manage:jira-webhook",
    ]) {
      expect(isSiteBound(scope), scope).toBe(true);
    }
  });
});
