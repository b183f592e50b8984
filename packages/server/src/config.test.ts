import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./config.js";

describe("loadConfig", () => {
  it("has working defaults for a development start", () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.publicUrl).toBe("http://localhost:3000");
    expect(c.databaseUrl).toBe(".foyer/foyer.db");
    expect(c.atlassian.authUrl).toBe("https://auth.atlassian.com");
    expect(c.atlassian.apiUrl).toBe("https://api.atlassian.com");
    expect(c.production).toBe(false);
  });

  it("refuses to start production without its secrets, naming each", () => {
    try {
      loadConfig({ NODE_ENV: "production" });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const text = (err as ConfigError).problems.join("\n");
      expect(text).toContain("FOYER_ENCRYPTION_KEY");
      expect(text).toContain("FOYER_PLATFORM_TOKEN");
      expect(text).toContain("FOYER_PUBLIC_URL");
    }
  });

  it("lists every bad value in one error", () => {
    try {
      loadConfig({
        PORT: "http",
        FOYER_PUBLIC_URL: "ftp://x",
        FOYER_ENCRYPTION_KEY: "short",
        LOG_LEVEL: "loud",
        FOYER_ATLASSIAN_SHARED_CLIENT_ID: "only-id",
        DATABASE_URL: "mysql://x",
      });
      expect.unreachable();
    } catch (err) {
      expect((err as ConfigError).problems).toHaveLength(6);
    }
  });

  it("accepts a complete production configuration", () => {
    const c = loadConfig({
      NODE_ENV: "production",
      FOYER_PUBLIC_URL: "https://auth.example.com/",
      FOYER_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString("base64"),
      FOYER_PLATFORM_TOKEN: "p".repeat(40),
      DATABASE_URL: "postgres://db/foyer",
    });
    expect(c.publicUrl).toBe("https://auth.example.com");
    expect(c.host).toBe("0.0.0.0");
  });

  const production = {
    NODE_ENV: "production",
    FOYER_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString("base64"),
    FOYER_PLATFORM_TOKEN: "p".repeat(40),
    DATABASE_URL: "postgres://db/foyer",
  };

  it("refuses a plain-http public URL in production, loopback excepted", () => {
    expect(() => loadConfig({ ...production, FOYER_PUBLIC_URL: "http://foyer.example.com" })).toThrow(
      /must be https in production/,
    );
    expect(loadConfig({ ...production, FOYER_PUBLIC_URL: "http://127.0.0.1:3000" }).publicUrl).toBe(
      "http://127.0.0.1:3000",
    );
    expect(loadConfig({ ...production, FOYER_PUBLIC_URL: "http://localhost:3000" }).production).toBe(true);
  });

  it("reads DATABASE_URL as a path, a file: or sqlite: URL, or postgres://, and refuses other schemes by name", () => {
    const db = (url: string) => loadConfig({ DATABASE_URL: url }).databaseUrl;
    expect(db("/var/lib/foyer/foyer.db")).toBe("/var/lib/foyer/foyer.db");
    expect(db("file:/var/lib/foyer/foyer.db")).toBe("/var/lib/foyer/foyer.db");
    expect(db("file:///var/lib/foyer/foyer.db")).toBe("/var/lib/foyer/foyer.db");
    expect(db("file:./data/foyer.db")).toBe("./data/foyer.db");
    expect(db("sqlite:///tmp/foyer.db")).toBe("/tmp/foyer.db");
    expect(db("postgresql://db/foyer")).toBe("postgresql://db/foyer");
    expect(() => db("mysql://db/foyer")).toThrow(/got a mysql: URL/);
    expect(() => db("redis:foo")).toThrow(/got a redis: URL/);
    expect(() => db("file:")).toThrow(/names no file/);
  });
});
