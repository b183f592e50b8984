import { parsePublishableKey } from "@foyer/backend";
import { encodePublishableKey } from "@foyer/contract";
import { describe, expect, it } from "vitest";
import { frontendApiFromKey } from "./publishable-key.js";

// One codec on every side: a key the server makes is read the same by both SDKs.
describe("a publishable key from the server, read by @foyer/backend and @foyer/js", () => {
  it.each([
    "http://localhost:3000/fapi/ins_2abc",
    "https://clerk.example.com",
    "https://foyer.example/fapi/ins_ü",
  ])("%s", (url) => {
    const key = encodePublishableKey("production", url);
    expect(key).toMatch(/^pk_live_[A-Za-z0-9+/]+$/);
    expect(parsePublishableKey(key)).toEqual({ environment: "production", frontendApiUrl: url });
    expect(frontendApiFromKey(key)).toBe(new URL(url).href.replace(/\/+$/, ""));
  });
});
