/**
 * `foyer start --workers 2` on one SQLite file, as an operator runs it: the two workers write the
 * same file through its WAL. Before write transactions began IMMEDIATE, ~9 % of concurrent
 * sign-ins failed with `database is locked` (a deferred transaction that read first could not
 * take the write lock, and SQLite answers that at once, without the busy handler). And a setting
 * changed through one worker reaches the other over the supervisor's IPC relay, not after the
 * instance cache's TTL (2 s).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { DEMO_IDS, demoSeed, type RunningEmulator, startAtlassianEmulator } from "@foyer/atlassian-emulator";
import { CookieJar } from "@foyer/testkit/emulated-foyer";
import { buildForChildren } from "@foyer/testkit/foyer-children";
import { freePort } from "@foyer/testkit/foyer-cli";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomToken } from "../crypto/random.js";

const CLI = resolve(import.meta.dirname, "../../bin/foyer.js");
const CLIENT_ID = "cluster-sqlite-test";
const CLIENT_SECRET = `secret-${randomToken(16)}`;
const PLATFORM_TOKEN = `fyr_plat_${randomToken(32)}`;

describe("foyer start --workers 2 on SQLite", () => {
  let emulator: RunningEmulator;
  let primary: ChildProcess;
  let output = "";
  let base: string;
  let instanceId: string;
  let secretKey: string;

  beforeAll(async () => {
    buildForChildren();
    emulator = await startAtlassianEmulator({ seed: demoSeed(), quiet: true });
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    emulator.control.upsertApp({
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      name: "Foyer cluster on SQLite",
      callbackUrl: `${base}/v1/oauth_callback`,
      scopes: ["read:me", "read:jira-user", "read:jira-work"],
      shared: true,
    });
    primary = spawn(process.execPath, [CLI, "start", "--workers", "2"], {
      env: {
        PATH: process.env.PATH ?? "",
        LOG_LEVEL: "info",
        PORT: String(port),
        HOST: "127.0.0.1",
        FOYER_PUBLIC_URL: base,
        FOYER_PLATFORM_TOKEN: PLATFORM_TOKEN,
        FOYER_DATA_DIR: mkdtempSync(join(tmpdir(), "foyer-cluster-sqlite-")),
        FOYER_ATLASSIAN_AUTH_URL: emulator.authUrl,
        FOYER_ATLASSIAN_API_URL: emulator.apiUrl,
        FOYER_ATLASSIAN_SHARED_CLIENT_ID: CLIENT_ID,
        FOYER_ATLASSIAN_SHARED_CLIENT_SECRET: CLIENT_SECRET,
        FOYER_EXAMPLE: "off",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    primary.stdout!.on("data", (d) => {
      output += d;
    });
    primary.stderr!.on("data", (d) => {
      output += d;
    });
    const deadline = Date.now() + 30_000;
    while (!/all workers are listening/.test(output) || !/Secret key:\s+\S+/.test(output)) {
      if (Date.now() > deadline || primary.exitCode !== null) throw new Error(`no cluster:\n${output}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    instanceId = /development instance (ins_\S+)\)/.exec(output)![1]!;
    secretKey = /Secret key:\s+(\S+)/.exec(output)![1]!;
  }, 90_000);

  afterAll(async () => {
    if (primary && primary.exitCode === null) {
      primary.kill("SIGTERM");
      await new Promise((r) => primary.once("exit", r));
    }
    await emulator?.close();
  });

  /** A request as a browser makes it: its cookies attached, the new ones kept. */
  async function browser(jar: CookieJar, url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    const cookie = jar.header(url);
    if (cookie) headers.set("cookie", cookie);
    const res = await fetch(url, { ...init, headers, redirect: "manual" });
    jar.store(res);
    return res;
  }

  /** A whole sign-in of a new Atlassian account: start, consent at the emulator, callback, client. */
  async function signIn(n: number): Promise<string> {
    const accountId = `557058:cluster${n}${randomToken(6)}`;
    emulator.control.upsertAccount({
      accountId,
      name: `Cluster Person ${n}`,
      email: `cluster${n}.${randomToken(4)
        .toLowerCase()
        .replace(/[^a-z0-9]/g, "")}@example.com`,
      emailVerified: true,
      nickname: `cluster${n}`,
      accountStatus: "active",
      siteIds: [DEMO_IDS.acme],
    });
    const jar = new CookieJar();
    const start = await browser(jar, `${base}/fapi/${instanceId}/v1/client/sign_ins`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ strategy: "oauth_atlassian" }),
    });
    if (start.status !== 200) throw new Error(`start ${start.status}: ${await start.text()}`);
    const authorize = (await start.json()).response.first_factor_verification
      .external_verification_redirect_url as string;
    emulator.control.queueConsent({ accountId });
    const consent = await fetch(authorize, { redirect: "manual" });
    const callbackUrl = consent.headers.get("location");
    if (consent.status !== 302 || !callbackUrl)
      throw new Error(`consent ${consent.status}: ${await consent.text()}`);
    const callback = await browser(jar, callbackUrl);
    if (callback.status !== 303 || !callback.headers.get("location")?.includes("/signed-in")) {
      throw new Error(
        `callback ${callback.status} ${callback.headers.get("location")}: ${await callback.text()}`,
      );
    }
    const client = await browser(jar, `${base}/fapi/${instanceId}/v1/client`);
    if (client.status !== 200) throw new Error(`client ${client.status}: ${await client.text()}`);
    const userId = (await client.json()).response.sessions[0].user.id as string;
    const token = await fetch(`${base}/v1/users/${userId}/oauth_access_tokens/oauth_atlassian`, {
      headers: { authorization: `Bearer ${secretKey}` },
    });
    if (token.status !== 200) throw new Error(`token ${token.status}: ${await token.text()}`);
    return userId;
  }

  it("50 concurrent sign-ins and token fetches through both workers: none fails", {
    timeout: 120_000,
  }, async () => {
    const results = await Promise.allSettled(Array.from({ length: 50 }, (_, i) => signIn(i)));
    const failures = results.flatMap((r) => (r.status === "rejected" ? [String(r.reason)] : []));
    expect(failures).toEqual([]);
    expect(output).not.toMatch(/database is locked|SQLITE_BUSY/);
  });

  /**
   * A request on a connection of its own: the primary deals new connections to the workers in
   * turn, so consecutive calls alternate between the two workers.
   */
  function onFreshConnection(method: string, path: string, headers: Record<string, string>, body?: string) {
    return new Promise<number>((done, fail) => {
      const req = httpRequest(`${base}${path}`, { method, headers, agent: false }, (res) => {
        res.resume();
        res.on("end", () => done(res.statusCode ?? 0));
      });
      req.on("error", fail);
      req.end(body);
    });
  }

  it("an allowed origin added through one worker is honoured by both within a second", async () => {
    const origin = "https://cluster-app.example.com";
    // A new application's instance: no worker has cached it before the loads below.
    const created = await fetch(`${base}/platform/v1/applications`, {
      method: "POST",
      headers: { authorization: `Bearer ${PLATFORM_TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "Cluster settings" }),
    });
    expect(created.status).toBe(201);
    const fresh = (await created.json()).instances[0].id as string;
    const preflight = () =>
      onFreshConnection("OPTIONS", `/fapi/${fresh}/v1/client`, {
        origin,
        "access-control-request-method": "POST",
      });
    // Both workers load (and cache) the instance without the origin.
    for (let i = 0; i < 4; i++) expect(await preflight()).toBe(403);
    const patched = await onFreshConnection(
      "PATCH",
      `/platform/v1/instances/${fresh}`,
      { authorization: `Bearer ${PLATFORM_TOKEN}`, "content-type": "application/json" },
      JSON.stringify({ allowed_origins: [origin] }),
    );
    expect(patched).toBe(200);
    const deadline = Date.now() + 1_000;
    let inARow = 0;
    // Four answers in a row on fresh connections: each worker answered at least once.
    while (inARow < 4) {
      inARow = (await preflight()) === 204 ? inARow + 1 : 0;
      if (inARow < 4 && Date.now() > deadline) throw new Error("a worker still refuses the origin after 1 s");
    }
  });
});
