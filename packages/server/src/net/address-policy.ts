/**
 * Which addresses Foyer may connect to on someone else's behalf (webhook receivers, client
 * metadata documents). Everything that is not the public internet is refused: loopback, private
 * (RFC 1918, unique-local), link-local, CGNAT, cloud metadata, documentation, multicast and
 * reserved ranges, and IPv6 forms that embed an IPv4 address (mapped, NAT64, 6to4), checked
 * again as IPv4. Development may add loopback, nothing else.
 */
import { BlockList, isIP } from "node:net";

const blocked = new BlockList();
for (const [net, bits] of [
  ["0.0.0.0", 8], // "this" network
  ["10.0.0.0", 8], // private
  ["100.64.0.0", 10], // CGNAT
  ["127.0.0.0", 8], // loopback
  ["169.254.0.0", 16], // link-local, cloud metadata (169.254.169.254)
  ["172.16.0.0", 12], // private
  ["192.0.0.0", 24], // IETF protocol assignments
  ["192.0.2.0", 24], // documentation
  ["192.88.99.0", 24], // 6to4 relay
  ["192.168.0.0", 16], // private
  ["198.18.0.0", 15], // benchmarking
  ["198.51.100.0", 24], // documentation
  ["203.0.113.0", 24], // documentation
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, broadcast
] as const)
  blocked.addSubnet(net, bits, "ipv4");
for (const [net, bits] of [
  ["::", 128], // unspecified
  ["::1", 128], // loopback
  ["100::", 64], // discard
  ["2001:db8::", 32], // documentation
  ["fc00::", 7], // unique local (fd00:ec2::254 is AWS's metadata)
  ["fe80::", 10], // link-local
  ["fec0::", 10], // site-local (deprecated)
  ["ff00::", 8], // multicast
] as const)
  blocked.addSubnet(net, bits, "ipv6");

const loopback = new BlockList();
loopback.addSubnet("127.0.0.0", 8, "ipv4");
loopback.addAddress("::1", "ipv6");

/** The IPv4 address an IPv6 address carries (mapped ::ffff:a.b.c.d, NAT64 64:ff9b::/96, 6to4 2002::/16), if any. */
export function embeddedIpv4(address: string): string | undefined {
  const lower = address.toLowerCase();
  const dotted = /^(?:::ffff:|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (dotted) return dotted[1];
  const groups = expandIpv6(lower);
  if (!groups) return undefined;
  const v4 = (hi: number, lo: number) => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  const isMapped = groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff;
  if (isMapped) return v4(groups[6]!, groups[7]!);
  const isNat64 = groups[0] === 0x64 && groups[1] === 0xff9b && groups.slice(2, 6).every((g) => g === 0);
  if (isNat64) return v4(groups[6]!, groups[7]!);
  if (groups[0] === 0x2002) return v4(groups[1]!, groups[2]!);
  // IPv4-compatible (deprecated) ::a.b.c.d
  if (groups.slice(0, 6).every((g) => g === 0) && (groups[6]! > 0 || groups[7]! > 1)) {
    return v4(groups[6]!, groups[7]!);
  }
  return undefined;
}

function expandIpv6(address: string): number[] | undefined {
  if (isIP(address) !== 6) return undefined;
  let text = address;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted[1]!.split(".").map(Number) as [number, number, number, number];
    text = `${text.slice(0, -dotted[1]!.length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split("::") as [string, string | undefined];
  const h = head ? head.split(":") : [];
  const t = tail ? tail.split(":") : [];
  const fill = tail === undefined ? [] : Array(8 - h.length - t.length).fill("0");
  const all = [...h, ...fill, ...t].map((g) => Number.parseInt(g || "0", 16));
  return all.length === 8 ? all : undefined;
}

export type AddressVerdict = "allowed" | "loopback" | "private";

/**
 * Whether Foyer may connect to `address` (an IP literal). `allowLoopback` for development
 * instances, whose receivers run on the developer's machine.
 */
export function checkAddress(address: string, opts: { allowLoopback: boolean }): AddressVerdict {
  const family = isIP(address);
  if (family === 0) return "private";
  const v4 = family === 6 ? embeddedIpv4(address) : address;
  const type = v4 ? "ipv4" : "ipv6";
  const target = v4 ?? address;
  if (loopback.check(target, type)) return opts.allowLoopback ? "allowed" : "loopback";
  return blocked.check(target, type) ? "private" : "allowed";
}
