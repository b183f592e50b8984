import { describe, expect, it } from "vitest";
import { encodePublishableKey, parsePublishableKey } from "./publishable-key.js";

describe("the publishable-key codec", () => {
  it("round-trips the environment and the exact URL, including non-ASCII text", () => {
    for (const url of [
      "http://localhost:3000/fapi/ins_1",
      "https://clerk.example.com",
      "https://x.test/ïns_ü",
    ]) {
      expect(parsePublishableKey(encodePublishableKey("development", url))).toEqual({
        environment: "development",
        frontendApiUrl: url,
      });
      expect(parsePublishableKey(encodePublishableKey("production", url))?.environment).toBe("production");
    }
  });

  it("is Clerk's format: pk_test_/pk_live_ + unpadded base64 of '<url>$'", () => {
    expect(encodePublishableKey("development", "https://a.test")).toBe(`pk_test_${btoa("https://a.test$")}`);
    expect(encodePublishableKey("production", "https://ab.test")).toBe(
      `pk_live_${btoa("https://ab.test$").replace(/=+$/, "")}`,
    );
  });

  it("refuses what is not a publishable key", () => {
    const b64 = (s: string) => btoa(s).replace(/=+$/, "");
    for (const key of [
      "",
      "sk_test_abc",
      `pk_prod_${b64("https://a.test$")}`,
      `pk_test_${b64("https://a.test")}`, // no "$"
      `pk_test_${b64("javascript:alert(1)$")}`,
      `pk_test_${b64("not a url$")}`,
      "pk_test_!!!",
      `pk_test_${btoa("\xff\xfe$")}`, // not UTF-8
    ]) {
      expect(parsePublishableKey(key)).toBeUndefined();
    }
  });
});
