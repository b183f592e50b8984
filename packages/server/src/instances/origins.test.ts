import { describe, expect, it } from "vitest";
import { allowedRedirect, parseOrigin } from "./origins.js";

describe("origins", () => {
  it("normalises exact origins and refuses anything else", () => {
    expect(parseOrigin("https://App.Example.com:443")).toBe("https://app.example.com");
    expect(parseOrigin("http://localhost:5173/")).toBe("http://localhost:5173");
    for (const bad of [
      "https://a.com/x",
      "https://a.com?x",
      "https://a.com#x",
      "*.a.com",
      "ftp://a.com",
      "https://u@a.com",
    ]) {
      expect(parseOrigin(bad), bad).toBeUndefined();
    }
  });

  it("allows redirects only to listed origins after parsing", () => {
    const allowed = ["https://app.example.com"];
    expect(allowedRedirect("https://app.example.com/a?b=1", allowed)).toBe("https://app.example.com/a?b=1");
    for (const bad of [
      "https://app.example.com.evil.net/",
      "https://app.example.com@evil.net/",
      "javascript:alert(1)//https://app.example.com",
      "//app.example.com/",
      "https://evil.net/https://app.example.com",
    ]) {
      expect(allowedRedirect(bad, allowed), bad).toBeUndefined();
    }
  });
});
