import { ERRORS } from "@foyer/contract";
import { describe, expect, it } from "vitest";
import { errorWords } from "./error-words.js";

describe("<SignIn/>'s words for foyer_error codes", () => {
  it("explains the cancelled and no-site cases with what to do next", () => {
    expect(errorWords("oauth_access_denied")).toMatchObject({
      title: "Sign-in cancelled",
      detail: expect.stringContaining("try again"),
    });
    expect(errorWords("atlassian_site_required").detail).toContain("Jira or Confluence site");
  });

  it("has a sentence for every code of the catalogue, and for a code it does not know", () => {
    for (const code of Object.keys(ERRORS)) {
      const words = errorWords(code);
      expect(words.code).toBe(code);
      expect(words.detail).toMatch(/^[A-Z].*[.)]$/);
    }
    expect(errorWords("some_future_code").detail).toBe("Signing in did not work. Try again.");
  });
});
