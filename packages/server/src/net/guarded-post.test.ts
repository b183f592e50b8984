/**
 * The outbound guard with real sockets: a production URL must be https and must not reach
 * loopback, private, link-local, CGNAT or metadata addresses, whatever DNS says; development may
 * reach loopback. DNS is injected, so no test ever sends a packet beyond loopback: a refused
 * address is refused before any connection.
 */
import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkAddress, embeddedIpv4 } from "./address-policy.js";
import { guardedPost, type Resolver } from "./guarded-post.js";

let server: Server;
let port: number;
let hits = 0;
beforeAll(async () => {
  server = createServer((req, res) => {
    hits++;
    req.resume();
    req.on("end", () => res.end("x".repeat(10_000)));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  port = (server.address() as { port: number }).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const post = (url: string, mode: "production" | "development", resolve?: Resolver) =>
  guardedPost({ url, mode, headers: {}, body: "{}", timeoutMs: 2_000, maxResponseBytes: 100, resolve });
const dns =
  (...addresses: string[]): Resolver =>
  async () =>
    addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));

describe("the address policy", () => {
  it.each([
    "127.0.0.1",
    "127.8.9.10",
    "10.1.2.3",
    "172.16.0.1",
    "172.31.255.255",
    "192.168.1.1",
    "169.254.169.254",
    "100.64.0.1",
    "0.0.0.0",
    "224.0.0.1",
    "255.255.255.255",
    "::1",
    "::",
    "fe80::1",
    "fd00:ec2::254",
    "fc00::1",
    "::ffff:127.0.0.1",
    "::ffff:7f00:1",
    "::ffff:10.0.0.1",
    "64:ff9b::a9fe:a9fe",
    "2002:a00:1::",
  ])("refuses %s in production", (address) => {
    expect(checkAddress(address, { allowLoopback: false })).not.toBe("allowed");
  });

  it.each(["8.8.8.8", "1.1.1.1", "172.32.0.1", "100.128.0.1", "2606:4700:4700::1111"])(
    "allows the public %s",
    (address) => {
      expect(checkAddress(address, { allowLoopback: false })).toBe("allowed");
    },
  );

  it("allows loopback in development only, and nothing else private", () => {
    expect(checkAddress("127.0.0.1", { allowLoopback: true })).toBe("allowed");
    expect(checkAddress("::1", { allowLoopback: true })).toBe("allowed");
    expect(checkAddress("10.0.0.1", { allowLoopback: true })).toBe("private");
    expect(checkAddress("169.254.169.254", { allowLoopback: true })).toBe("private");
  });

  it("reads the IPv4 address inside mapped and NAT64 IPv6 addresses", () => {
    expect(embeddedIpv4("::ffff:7f00:1")).toBe("127.0.0.1");
    expect(embeddedIpv4("64:ff9b::a9fe:a9fe")).toBe("169.254.169.254");
    expect(embeddedIpv4("2606:4700::1111")).toBeUndefined();
  });
});

describe("guardedPost", () => {
  it("delivers to loopback for a development instance, keeping only the first bytes of the answer", async () => {
    const out = await post(`http://127.0.0.1:${port}/hook`, "development");
    expect(out).toMatchObject({ kind: "answered", status: 200 });
    expect(out.kind === "answered" && out.body.length).toBe(100);
  });

  it("refuses a production endpoint at http://127.0.0.1, before connecting", async () => {
    const before = hits;
    expect(await post(`http://127.0.0.1:${port}/hook`, "production")).toMatchObject({
      kind: "failed",
      error: "https_required",
    });
    expect(await post(`https://127.0.0.1:${port}/hook`, "production")).toMatchObject({
      kind: "failed",
      error: "address_refused",
    });
    // IPv6 literals too, and the IPv4 address inside a mapped one.
    for (const host of ["[::1]", "[::ffff:127.0.0.1]", "[fd00:ec2::254]"]) {
      expect(await post(`https://${host}:${port}/hook`, "production")).toMatchObject({
        error: "address_refused",
      });
    }
    expect(hits).toBe(before);
  });

  it("refuses a production name that resolves to a private, loopback or metadata address", async () => {
    for (const address of ["10.0.0.7", "127.0.0.1", "169.254.169.254", "::1", "::ffff:192.168.0.1"]) {
      expect(await post("https://hooks.example.test/x", "production", dns(address))).toMatchObject({
        kind: "failed",
        error: "address_refused",
      });
    }
    // One private address among public ones is enough to refuse the name.
    expect(
      await post("https://hooks.example.test/x", "production", dns("8.8.8.8", "10.0.0.7")),
    ).toMatchObject({
      error: "address_refused",
    });
  });

  it("connects to the address it checked, never to a second DNS answer (no rebinding window)", async () => {
    let calls = 0;
    // First answer loopback (allowed in development), any later answer a private address.
    const rebinding: Resolver = async () => {
      calls++;
      return [{ address: calls === 1 ? "127.0.0.1" : "10.0.0.7", family: 4 }];
    };
    const before = hits;
    const out = await post(`http://rebind.localhost:${port}/hook`, "development", rebinding);
    expect(out).toMatchObject({ kind: "answered", status: 200 });
    expect(calls).toBe(1);
    expect(hits).toBe(before + 1);
  });

  it("refuses a name whose resolution a development instance may not reach either", async () => {
    expect(await post("https://internal.example.test/x", "development", dns("192.168.1.20"))).toMatchObject({
      error: "address_refused",
    });
  });

  it("times out a receiver that never answers", async () => {
    const silent = createServer(() => {});
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
    const p = (silent.address() as { port: number }).port;
    const out = await guardedPost({
      url: `http://127.0.0.1:${p}/`,
      mode: "development",
      headers: {},
      body: "{}",
      timeoutMs: 200,
      maxResponseBytes: 10,
    });
    expect(out).toMatchObject({ kind: "failed", error: "timeout" });
    silent.closeAllConnections();
    await new Promise<void>((r) => silent.close(() => r()));
  });
});
