/**
 * A POST to a URL someone else chose (a webhook receiver), made safe: the URL checked
 * (outbound-url.ts), the host name resolved ONCE and every address checked
 * (address-policy.ts), and the connection made to exactly the checked address through a custom
 * `lookup`, so there is no window for DNS rebinding between check and connect. No redirects
 * (a 3xx is an answer like any other; callers treat it as a failure), one overall timeout, and
 * only the first bytes of the answer are kept.
 */
import { lookup as dnsLookup } from "node:dns/promises";
import http from "node:http";
import https from "node:https";
import { isIP, type LookupFunction } from "node:net";
import tls from "node:tls";
import { checkAddress } from "./address-policy.js";
import { checkOutboundUrl, type OutboundMode, type UrlRefusal } from "./outbound-url.js";

export type Resolver = (hostname: string) => Promise<Array<{ address: string; family: number }>>;

export const systemResolver: Resolver = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

export interface GuardedPostRequest {
  url: string;
  mode: OutboundMode;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  /** Bytes of the answer kept; the rest is not read. */
  maxResponseBytes: number;
  /** Tests inject DNS answers here; production resolves through the system. */
  resolve?: Resolver;
  /**
   * More CAs (PEM) to trust for https, added to Node's own (`Services.outboundCa`); the
   * certificate and its host name are still verified.
   */
  extraCa?: string[];
}

export type GuardedPostOutcome =
  | {
      kind: "answered";
      status: number;
      body: string;
      durationMs: number;
      /** True when the answer was longer than `maxResponseBytes` (only its first bytes are in `body`). */
      truncated: boolean;
      contentType: string | undefined;
    }
  | {
      kind: "failed";
      error: "timeout" | "address_refused" | "connection_failed" | UrlRefusal;
      detail: string;
      durationMs: number;
    };

type Target = { address: string; family: number } | { refusal: "address_refused"; detail: string };

async function resolveChecked(hostname: string, mode: OutboundMode, resolve: Resolver): Promise<Target> {
  const allowLoopback = mode === "development";
  const literal = hostname.startsWith("[") ? hostname.slice(1, -1) : hostname;
  const family = isIP(literal);
  const addresses = family ? [{ address: literal, family }] : await resolve(hostname);
  if (addresses.length === 0) return { refusal: "address_refused", detail: "the name has no address" };
  // Every address must pass: a name that also resolves inside the network is refused outright.
  for (const a of addresses) {
    const verdict = checkAddress(a.address, { allowLoopback });
    if (verdict !== "allowed")
      return { refusal: "address_refused", detail: `${verdict} address ${a.address}` };
  }
  return addresses[0]!;
}

export async function guardedPost(req: GuardedPostRequest): Promise<GuardedPostOutcome> {
  return guardedRequest("POST", req);
}

/** The guard for any method: guardedPost and guardedGet (guarded-get.ts) are this with one method. */
export async function guardedRequest(
  method: "GET" | "POST",
  req: Omit<GuardedPostRequest, "body"> & { body?: string },
): Promise<GuardedPostOutcome> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const checked = checkOutboundUrl(req.url, req.mode);
  if (!checked.ok) return { kind: "failed", error: checked.refusal, detail: "URL refused", durationMs: 0 };
  const url = checked.url;
  let target: Target;
  try {
    target = await resolveChecked(url.hostname, req.mode, req.resolve ?? systemResolver);
  } catch (err) {
    return {
      kind: "failed",
      error: "connection_failed",
      detail: `DNS: ${String(err)}`,
      durationMs: elapsed(),
    };
  }
  if ("refusal" in target)
    return { kind: "failed", error: target.refusal, detail: target.detail, durationMs: elapsed() };
  const { address, family } = target;

  // The connection goes to the address checked above, never to a second answer from DNS.
  const pinned: LookupFunction = (_host, opts, cb) => {
    if ((opts as { all?: boolean }).all) (cb as (e: null, a: unknown[]) => void)(null, [{ address, family }]);
    else cb(null, address, family);
  };
  const client = url.protocol === "https:" ? https : http;
  return new Promise<GuardedPostOutcome>((resolve) => {
    let settled = false;
    const finish = (outcome: GuardedPostOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const request = client.request(
      url,
      {
        method,
        headers:
          req.body === undefined
            ? req.headers
            : { ...req.headers, "content-length": String(Buffer.byteLength(req.body)) },
        lookup: pinned,
        // A fresh connection each time: a pooled socket would skip the check above.
        agent: false,
        // `ca` replaces Node's list, so the extra CAs are added to it, never in its place.
        ...(req.extraCa?.length && url.protocol === "https:"
          ? { ca: [...tls.rootCertificates, ...req.extraCa] }
          : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        let kept = 0;
        let truncated = false;
        res.on("data", (chunk: Buffer) => {
          if (kept + chunk.length > req.maxResponseBytes) truncated = true;
          if (kept < req.maxResponseBytes) {
            chunks.push(chunk.subarray(0, req.maxResponseBytes - kept));
            kept += Math.min(chunk.length, req.maxResponseBytes - kept);
          }
          if (kept >= req.maxResponseBytes) res.destroy();
        });
        const done = () =>
          finish({
            kind: "answered",
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString("utf8"),
            durationMs: elapsed(),
            truncated,
            contentType: res.headers["content-type"],
          });
        res.on("end", done);
        res.on("close", done);
        res.on("error", done);
      },
    );
    // Defence in depth: the socket's peer must be the checked address.
    request.on("socket", (socket) => {
      socket.on("connect", () => {
        const peer = socket.remoteAddress;
        if (peer && checkAddress(peer, { allowLoopback: req.mode === "development" }) !== "allowed") {
          request.destroy();
          finish({
            kind: "failed",
            error: "address_refused",
            detail: `connected to ${peer}`,
            durationMs: elapsed(),
          });
        }
      });
    });
    request.on("error", (err) =>
      finish({ kind: "failed", error: "connection_failed", detail: err.message, durationMs: elapsed() }),
    );
    const timer = setTimeout(() => {
      finish({
        kind: "failed",
        error: "timeout",
        detail: `no answer in ${req.timeoutMs} ms`,
        durationMs: elapsed(),
      });
      request.destroy();
    }, req.timeoutMs);
    timer.unref();
    request.end(req.body);
  });
}
