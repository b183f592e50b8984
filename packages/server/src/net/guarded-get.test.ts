/**
 * The outbound guard over https to a loopback server with a certificate made for the test: the
 * certificate is verified against Node's CAs plus only the CAs Foyer was given
 * (`Services.outboundCa`), never accepted unverified.
 */
import { type LoopbackHttps, makeTestCertificates, startLoopbackHttps } from "@foyer/testkit/loopback-https";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { guardedGet } from "./guarded-get.js";

let server: LoopbackHttps;
beforeAll(async () => {
  server = await startLoopbackHttps((_req, res) => res.end('{"ok":true}'));
});
afterAll(() => server.close());

const get = (url: string, extraCa?: string[], mode: "development" | "production" = "development") =>
  guardedGet({ url, mode, headers: {}, timeoutMs: 2_000, maxResponseBytes: 100, extraCa });

describe("guardedGet over https", () => {
  it("reaches a development loopback https server whose CA it was given", async () => {
    const out = await get(`${server.origin}/doc`, [server.ca]);
    expect(out).toMatchObject({ kind: "answered", status: 200, body: '{"ok":true}' });
  });

  it("refuses the certificate without that CA, or with another CA", async () => {
    const before = server.hits.length;
    const without = await get(`${server.origin}/doc`);
    expect(without).toMatchObject({ kind: "failed", error: "connection_failed" });
    const other = await get(`${server.origin}/doc`, [makeTestCertificates().ca]);
    expect(other).toMatchObject({ kind: "failed", error: "connection_failed" });
    expect(server.hits.length).toBe(before);
  });

  it("gives a production instance no way to loopback, trusted CA or not", async () => {
    const before = server.hits.length;
    const out = await get(`${server.origin}/doc`, [server.ca], "production");
    expect(out).toMatchObject({ kind: "failed", error: "address_refused" });
    expect(server.hits.length).toBe(before);
  });
});
