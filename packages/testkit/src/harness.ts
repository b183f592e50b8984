/**
 * A Foyer for tests: real storage (SQLite file or PostgreSQL schema), the real app, requests
 * through its web-standard handler (no socket) unless a test asks for a listening server.
 * Logs are kept in memory so tests can check that no secret ever reaches them.
 */
import { Writable } from "node:stream";
import { createServices } from "../../server/src/bootstrap.js";
import { loadConfig } from "../../server/src/config.js";
import { randomToken } from "../../server/src/crypto/random.js";
import { createApp, type FoyerApp } from "../../server/src/http/app.js";
import { listen, type RunningServer } from "../../server/src/http/server.js";
import { createLogger } from "../../server/src/log.js";
import type { AtlassianSettings, Services } from "../../server/src/services.js";
import { createTestDatabase, type DbKind, type TestDatabase } from "./databases.js";

export interface TestFoyer {
  svc: Services;
  app: FoyerApp;
  database: TestDatabase;
  platformToken: string;
  encryptionKey: string;
  /** Everything logged so far, one JSON line each. */
  logs(): string;
  /** Sends a request to the app; `path` is relative to the public URL. */
  request(path: string, init?: RequestInit & { json?: unknown }): Promise<Response>;
  /** The Platform API, authenticated. */
  platform(path: string, init?: RequestInit & { json?: unknown }): Promise<Response>;
  /** Moves the injected clock. */
  advance(ms: number): void;
  close(): Promise<void>;
}

export interface TestFoyerOptions {
  env?: Record<string, string>;
  atlassian?: Partial<AtlassianSettings>;
  /** Start a real listening server; the public URL is then its address. */
  listen?: boolean;
  /** Reuse a database (e.g. a second Foyer process on the same storage). */
  database?: TestDatabase;
  encryptionKey?: string;
  /** Reuse a platform token (another process of the same deployment). */
  platformToken?: string;
  /** Share another test Foyer's clock (several processes of one deployment see one time). */
  now?: () => number;
  /** CAs (PEM) Foyer trusts for its outbound requests (a loopback HTTPS metadata document). */
  outboundCa?: string[];
}

export async function createTestFoyer(kind: DbKind, opts: TestFoyerOptions = {}): Promise<TestFoyer> {
  const database = opts.database ?? (await createTestDatabase(kind));
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  const platformToken = opts.platformToken ?? `fyr_plat_${randomToken(32)}`;
  const encryptionKey = opts.encryptionKey ?? Buffer.from(randomToken(32), "base64url").toString("base64");
  let offset = 0;
  const now = opts.now ?? (() => Date.now() + offset);

  let server: RunningServer | undefined;
  let publicUrl = "http://foyer.test";
  let port = 0;
  if (opts.listen) {
    // Reserve a port first so the public URL (used in redirect URIs) is known before start.
    const { createServer } = await import("node:net");
    port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, "127.0.0.1", () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    publicUrl = `http://127.0.0.1:${port}`;
  }
  const config = loadConfig({
    DATABASE_URL: database.url,
    FOYER_PUBLIC_URL: publicUrl,
    FOYER_ENCRYPTION_KEY: encryptionKey,
    FOYER_PLATFORM_TOKEN: platformToken,
    LOG_LEVEL: "info",
    FOYER_DATA_DIR: "/nonexistent-foyer-test-dir",
    ...opts.env,
  });
  const log = createLogger(config.logLevel, sink);
  const base = {
    authUrl: config.atlassian.authUrl,
    apiUrl: config.atlassian.apiUrl,
    shared: undefined,
    emulated: false,
    timeoutMs: 2_000,
  };
  const svc = await createServices(config, log, {
    now,
    schema: database.schema,
    atlassian: { ...base, ...opts.atlassian },
    ...(opts.outboundCa ? { outboundCa: opts.outboundCa } : {}),
  });
  const app = createApp(svc);
  if (opts.listen) server = await listen(svc, { port, host: "127.0.0.1", closeDb: false });

  const request = (path: string, init: RequestInit & { json?: unknown } = {}) => {
    const { json, ...rest } = init;
    const headers = new Headers(rest.headers);
    if (json !== undefined && !headers.has("content-type")) headers.set("content-type", "application/json");
    const url = path.startsWith("http") ? path : `${publicUrl}${path}`;
    return app.fetch(
      new Request(url, { ...rest, headers, body: json !== undefined ? JSON.stringify(json) : rest.body }),
    );
  };

  return {
    svc,
    app,
    database,
    platformToken,
    encryptionKey,
    logs: () => lines.join(""),
    request,
    platform: (path, init = {}) => {
      const headers = new Headers(init.headers);
      headers.set("authorization", `Bearer ${platformToken}`);
      return request(`/platform/v1${path}`, { ...init, headers });
    },
    advance: (ms) => {
      offset += ms;
    },
    close: async () => {
      await server?.close();
      await svc.db.close();
      if (!opts.database) await database.drop();
    },
  };
}
