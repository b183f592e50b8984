import type { Instance } from "../instances/instances.js";
import { guardedGet } from "../net/guarded-get.js";
import { checkOutboundUrl } from "../net/outbound-url.js";
import type { Services } from "../services.js";
import { oidcScopeOnly } from "./client-scope.js";

/**
 * OAuth Client ID Metadata Documents (draft-ietf-oauth-client-id-metadata-document): a client
 * whose client_id is an https URL publishes its metadata at that URL, so an MCP client needs no
 * registration. The URL is the client's choice, hence hostile: fetched with the outbound guard
 * (net/guarded-get.ts: https only and no loopback, private, link-local or metadata address in
 * production; loopback http allowed for development instances), at most 64 KiB in 5 s, no
 * redirects. The document must name itself (`client_id` equal to the URL) and may not carry a
 * secret: such clients are public and rely on PKCE and exact redirect URIs.
 */
export const CIMD_MAX_BYTES = 64 * 1024;
export const CIMD_TIMEOUT_MS = 5_000;
/** A document is used this long before it is fetched again; a refusal is remembered briefly. */
export const CIMD_TTL_MS = 5 * 60_000;
const CIMD_REFUSAL_TTL_MS = 30_000;
const MAX_CACHED = 1_000;

export type CimdResult = { ok: true; metadata: Record<string, unknown> } | { ok: false; reason: string };

/** Whether a client_id is meant as a metadata document URL (an http(s) URL with a path). */
export function looksLikeClientIdUrl(clientId: string): boolean {
  return /^https?:\/\/[^/?#]+\/[^#]*$/i.test(clientId);
}

/** Checks a fetched document against its URL; the pure half, tested over canned answers. */
export function processClientMetadataDocument(url: string, status: number, body: string): CimdResult {
  if (status !== 200) return { ok: false, reason: `answered ${status}, not 200` };
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch {
    return { ok: false, reason: "not JSON" };
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc))
    return { ok: false, reason: "not a JSON object" };
  const m = doc as Record<string, unknown>;
  if (m.client_id !== url) return { ok: false, reason: "its client_id is not the URL it was fetched from" };
  if ("client_secret" in m || "client_secret_expires_at" in m)
    return { ok: false, reason: "it carries a client secret" };
  const method = m.token_endpoint_auth_method ?? "none";
  if (method !== "none")
    return { ok: false, reason: `token_endpoint_auth_method ${String(method)} (only none)` };
  if (!Array.isArray(m.redirect_uris) || m.redirect_uris.length === 0) {
    return { ok: false, reason: "no redirect_uris" };
  }
  // Only the metadata a public code-flow client needs; anything else the document says is ignored.
  const metadata: Record<string, unknown> = {
    client_id: url,
    redirect_uris: m.redirect_uris,
    token_endpoint_auth_method: "none",
    grant_types: ["authorization_code", "refresh_token"],
    response_types: ["code"],
  };
  for (const key of ["client_name", "client_uri", "logo_uri", "application_type"] as const) {
    if (typeof m[key] === "string") metadata[key] = m[key];
  }
  const scope = oidcScopeOnly(m.scope);
  if (scope) metadata.scope = scope;
  return { ok: true, metadata };
}

interface CacheEntry {
  at: number;
  ttl: number;
  result: CimdResult;
}
const caches = new WeakMap<Services, Map<string, CacheEntry>>();

export async function fetchClientMetadataDocument(
  svc: Services,
  instance: Pick<Instance, "id" | "environment">,
  url: string,
): Promise<CimdResult> {
  let cache = caches.get(svc);
  if (!cache) {
    cache = new Map();
    caches.set(svc, cache);
  }
  const key = `${instance.id} ${url}`;
  const hit = cache.get(key);
  if (hit && svc.now() - hit.at < hit.ttl) return hit.result;

  const mode = instance.environment;
  const checked = checkOutboundUrl(url, mode);
  let result: CimdResult;
  if (!checked.ok) result = { ok: false, reason: `URL refused: ${checked.refusal}` };
  else {
    const answer = await guardedGet({
      url,
      mode,
      headers: { accept: "application/json" },
      timeoutMs: CIMD_TIMEOUT_MS,
      maxResponseBytes: CIMD_MAX_BYTES,
      ...(svc.outboundCa ? { extraCa: svc.outboundCa } : {}),
    });
    if (answer.kind === "failed") result = { ok: false, reason: `${answer.error}: ${answer.detail}` };
    else if (answer.truncated) result = { ok: false, reason: `larger than ${CIMD_MAX_BYTES} bytes` };
    else result = processClientMetadataDocument(url, answer.status, answer.body);
  }
  if (!result.ok) svc.log.warn({ client_id: url, reason: result.reason }, "client metadata document refused");
  if (cache.size >= MAX_CACHED) cache.clear();
  cache.set(key, { at: svc.now(), ttl: result.ok ? CIMD_TTL_MS : CIMD_REFUSAL_TTL_MS, result });
  return result;
}
