import type { ErrorBodyJSON, ErrorCode } from "@foyer/contract";
import type { Envelope } from "./resources.js";

/**
 * What a FoyerError's `code` can be: a code of Foyer's error catalogue, or `network_error` /
 * `invalid_response` when there was no usable answer.
 */
export type FoyerErrorCode = ErrorCode | "network_error" | "invalid_response";

/**
 * A Frontend API call that did not succeed, carrying the API's `errors[0].code`. Switch on
 * `code` (the compiler knows every value); see docs/errors.md for what each means.
 */
export class FoyerError extends Error {
  readonly code: FoyerErrorCode;
  readonly status: number;

  constructor(code: FoyerErrorCode, status: number, message: string) {
    super(message);
    this.name = "FoyerError";
    this.code = code;
    this.status = status;
  }
}

/**
 * Why this page's origin may not call the Frontend API, in words naming the origin and where to
 * add it, or undefined when it may (or Foyer cannot be reached at all). `GET /v1/origin_check`
 * answers every origin (`Access-Control-Allow-Origin: *`, no credentials).
 */
async function originRefusal(base: string, fetchImpl: typeof fetch): Promise<string | undefined> {
  try {
    const res = await fetchImpl(`${base}/v1/origin_check`, { credentials: "omit" });
    const body = (await res.json()) as { allowed?: boolean; message?: string | null; origin?: string | null };
    if (body.allowed !== false) return undefined;
    return (
      body.message ?? `The origin ${body.origin ?? "of this page"} is not allowed by this Foyer instance.`
    );
  } catch {
    return undefined;
  }
}

/**
 * Calls the Frontend API with the browser's `__client` cookie (credentials: "include"; the cookie
 * is HttpOnly, so this is the only way the page uses it).
 */
export function createFapi(base: string, fetchImpl: typeof fetch) {
  return async <T>(
    method: "GET" | "POST" | "DELETE",
    path: string,
    form?: Record<string, string>,
  ): Promise<Envelope<T>> => {
    let res: Response;
    try {
      // Form bodies, as Clerk's SDKs send them: a "simple" request needs no CORS preflight.
      res = await fetchImpl(`${base}${path}`, {
        method,
        credentials: "include",
        ...(form ? { body: new URLSearchParams(form) } : {}),
      });
    } catch (err) {
      // A CORS refusal looks exactly like a network failure to the page ("Failed to fetch"):
      // ask the one endpoint open to every origin whether this origin is the reason.
      const refusal = await originRefusal(base, fetchImpl);
      if (refusal) {
        console.error(`[foyer] ${refusal}`);
        throw new FoyerError("origin_not_allowed", 0, refusal);
      }
      throw new FoyerError("network_error", 0, `Foyer could not be reached: ${String(err)}`);
    }
    const body = (await res.json().catch(() => undefined)) as
      | (Envelope<T> & Partial<ErrorBodyJSON>)
      | undefined;
    if (!res.ok || !body) {
      const first = body?.errors?.[0];
      throw new FoyerError(
        first?.code ?? "invalid_response",
        res.status,
        first?.message ?? `HTTP ${res.status}`,
      );
    }
    return body;
  };
}
