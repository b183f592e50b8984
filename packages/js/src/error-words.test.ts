import { ERRORS } from "@foyer/contract";
import { describe, expect, it } from "vitest";
import { errorMessage, isKnownCode } from "./error-words.js";

describe("error words", () => {
  it("says every catalogue code in the catalogue's own words", () => {
    for (const [code, entry] of Object.entries(ERRORS)) {
      expect(isKnownCode(code)).toBe(true);
      expect(errorMessage(code)).toBe(entry.message);
    }
    for (const code of ["network_error", "invalid_response"]) {
      expect(isKnownCode(code)).toBe(true);
      expect(errorMessage(code)).not.toBe("");
    }
  });

  it("gives general words, not the raw text, for a code it does not know", () => {
    for (const code of ["<script>alert(1)</script>", "toString", "__proto__", "constructor"]) {
      expect(isKnownCode(code)).toBe(false);
      expect(errorMessage(code)).toBe("Signing in did not work. Try again.");
    }
  });
});
