import { describe, expect, it } from "vitest";
import { allowedRedirectFor, type Instance, originAllowed } from "./instance-row.js";

const instance = (environment: "development" | "production", allowed: string[] = []): Instance =>
  ({
    id: "ins_1",
    environment,
    frontend_api_url: "https://foyer.example.com/fapi/ins_1",
    allowed_origins: allowed,
  }) as Instance;

describe("loopback origins on development instances", () => {
  it("accepts http://localhost:* and http://127.0.0.1:* on development only", () => {
    const dev = instance("development");
    const prod = instance("production");
    for (const origin of ["http://localhost:5173", "http://127.0.0.1:4321", "http://localhost"]) {
      expect(originAllowed(dev, origin)).toBe(true);
      expect(originAllowed(prod, origin)).toBe(false);
    }
    expect(allowedRedirectFor(dev, "http://localhost:5173/after?x=1")).toBe(
      "http://localhost:5173/after?x=1",
    );
    expect(allowedRedirectFor(prod, "http://localhost:5173/after")).toBeUndefined();
  });

  it("never takes a look-alike for a loopback origin", () => {
    const dev = instance("development");
    for (const origin of [
      "https://localhost:5173",
      "http://localhost.evil.test",
      "http://127.0.0.1.evil.test:80",
      "http://user@localhost:5173",
      "http://localhost:5173/path",
      "http://[::1]:3000",
      "null",
    ]) {
      expect(originAllowed(dev, origin)).toBe(false);
    }
    expect(allowedRedirectFor(dev, "http://user:pw@localhost:5173/")).toBeUndefined();
    expect(allowedRedirectFor(dev, "javascript:alert(1)")).toBeUndefined();
  });

  it("still takes the exact allowed origins on production", () => {
    expect(
      originAllowed(instance("production", ["https://app.example.com"]), "https://app.example.com"),
    ).toBe(true);
  });
});
