import { BlockList, isIP } from "node:net";
import { getConnInfo } from "@hono/node-server/conninfo";
import type { Context } from "hono";
import type { TrustProxy } from "../config.js";
import { rateLimitKeyOfIp } from "./rate-limit.js";

/** An X-Forwarded-For entry or socket address without brackets, port or IPv4-mapped prefix. */
export function plainAddress(entry: string): string {
  let a = entry.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(a);
  if (bracketed) a = bracketed[1]!;
  else if (/^\d+\.\d+\.\d+\.\d+:\d+$/.test(a)) a = a.slice(0, a.lastIndexOf(":"));
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(a);
  return mapped ? mapped[1]! : a;
}

function trustedList(proxies: string[]): BlockList {
  const list = new BlockList();
  for (const p of proxies) {
    const [address = "", prefix] = p.split("/");
    const plain = plainAddress(address);
    const family = isIP(plain) === 6 ? "ipv6" : "ipv4";
    if (prefix === undefined) list.addAddress(plain, family);
    else list.addSubnet(plain, Number(prefix), family);
  }
  return list;
}

/**
 * The client's address from the socket's peer and X-Forwarded-For, trusting only what the
 * deployment's own proxies wrote. Each proxy appends the address it received the request from,
 * so the list is read from the right, from the peer leftwards: with `hops` the entry that many
 * hops in; with `proxies` the first address that is not one of them. Entries further left are
 * whatever the client sent and are never used (rotating them must not earn a fresh bucket).
 *
 * `peer` undefined is a request handed over in process (tests, an embedding app): no socket,
 * so it counts as the nearest trusted proxy.
 */
export function clientAddress(
  peer: string | undefined,
  forwardedFor: string | undefined,
  trust: TrustProxy | undefined,
  trusted: BlockList | undefined = trust && "proxies" in trust ? trustedList(trust.proxies) : undefined,
): string | undefined {
  const socket = peer ? plainAddress(peer) : undefined;
  if (!trust) return socket;
  const chain = (forwardedFor ?? "")
    .split(",")
    .map(plainAddress)
    .filter((a) => a !== "");
  if ("hops" in trust) {
    if (chain.length === 0) return socket;
    // The peer is the nearest proxy; the others wrote the last hops-1 entries.
    return chain[Math.max(0, chain.length - trust.hops)];
  }
  const isTrusted = (a: string) => {
    const family = isIP(a);
    return family !== 0 && trusted!.check(a, family === 6 ? "ipv6" : "ipv4");
  };
  if (socket !== undefined && !isTrusted(socket)) return socket;
  let client = socket;
  for (let i = chain.length - 1; i >= 0; i--) {
    client = chain[i]!;
    if (!isTrusted(client)) return client;
  }
  // Every hop is a trusted proxy: the left-most is the nearest thing to a client there is.
  return client;
}

/**
 * The rate-limit key of the client's address (see clientAddress and rateLimitKeyOfIp).
 * Requests that came over no socket and name no forwarded client have none and are not limited.
 */
export function clientIp(trust: TrustProxy | undefined): (c: Context) => string | undefined {
  const trusted = trust && "proxies" in trust ? trustedList(trust.proxies) : undefined;
  return (c) => {
    let peer: string | undefined;
    try {
      peer = getConnInfo(c).remote.address;
    } catch {
      peer = undefined;
    }
    const address = clientAddress(peer, c.req.header("x-forwarded-for"), trust, trusted);
    return address ? rateLimitKeyOfIp(address) : undefined;
  };
}
