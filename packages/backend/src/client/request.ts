import type { ErrorBodyJSON, PaginatedResponseJSON } from "@foyer/contract";
import type { AtlassianFetchOptions } from "../atlassian/options.js";
import { FoyerApiError } from "../errors.js";

/** How createFoyerClient reaches the Backend API. Keep the secret key on the server. */
export interface FoyerClientOptions {
  /** `sk_test_…` / `sk_live_…`: selects the instance; sent only in the Authorization header. */
  secretKey: string;
  /** Foyer's public URL (the Backend API is under `/v1`). */
  apiUrl: string;
  fetch?: typeof fetch;
  /** Per-request timeout (default 10 s). */
  timeoutMs?: number;
  /** How `atlassian.fetch` calls Jira and Confluence (its fetch, Retry-After bounds, clock). */
  atlassian?: AtlassianFetchOptions;
}

export type Query = Record<string, string | number | boolean | string[] | undefined>;

export type Requester = <T>(
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE",
  path: string,
  /** `form`: a multipart upload (fetch writes its content type and boundary); else `body` as JSON. */
  opts?: { query?: Query; body?: unknown; form?: FormData },
) => Promise<T>;

function retryAfterSeconds(value: string | null): number | undefined {
  if (!value) return undefined;
  const n = Number(value);
  if (Number.isFinite(n)) return Math.max(0, n);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

/** A JSON requester for the Backend API; every failure becomes a FoyerApiError. */
export function createRequester(options: FoyerClientOptions): Requester {
  if (!/^sk_(test|live)_/.test(options.secretKey ?? "")) {
    throw new TypeError("createFoyerClient: secretKey must be an sk_test_… or sk_live_… key.");
  }
  const base = `${new URL(options.apiUrl).href.replace(/\/+$/, "")}/v1`;
  const doFetch = options.fetch ?? fetch;
  return async (method, path, opts = {}) => {
    const url = new URL(base + path);
    for (const [k, v] of Object.entries(opts.query ?? {})) {
      if (v === undefined) continue;
      if (Array.isArray(v)) for (const item of v) url.searchParams.append(k, item);
      else url.searchParams.set(k, String(v));
    }
    let res: Response;
    try {
      res = await doFetch(url, {
        method,
        headers: {
          authorization: `Bearer ${options.secretKey}`,
          accept: "application/json",
          ...(opts.body !== undefined && !opts.form ? { "content-type": "application/json" } : {}),
        },
        body: opts.form ?? (opts.body !== undefined ? JSON.stringify(opts.body) : undefined),
        redirect: "error",
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      });
    } catch (err) {
      throw new FoyerApiError(
        { code: "network_error", status: 0, message: `The Backend API at ${base} could not be reached.` },
        { cause: err },
      );
    }
    const text = await res.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    if (!res.ok) {
      const errors = (body as Partial<ErrorBodyJSON> | undefined)?.errors;
      const first = Array.isArray(errors) ? errors[0] : undefined;
      throw new FoyerApiError({
        code: first?.code ?? "invalid_response",
        status: res.status,
        message: first?.long_message ?? first?.message ?? `The Backend API answered HTTP ${res.status}.`,
        errors: Array.isArray(errors) ? errors : [],
        retryAfter: retryAfterSeconds(res.headers.get("retry-after")),
      });
    }
    if (body === undefined) {
      throw new FoyerApiError({
        code: "invalid_response",
        status: res.status,
        message: "The Backend API answered without JSON.",
      });
    }
    return body as never;
  };
}

/** Lists come as a plain array or as `{ data, total_count }`; callers always get the latter form. */
export function toPage<T>(body: T[] | PaginatedResponseJSON<T>): { data: T[]; totalCount: number } {
  if (Array.isArray(body)) return { data: body, totalCount: body.length };
  return { data: body.data, totalCount: body.total_count };
}
