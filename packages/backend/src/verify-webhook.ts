/**
 * Verifying a Foyer webhook delivery, by the Standard Webhooks scheme
 * (https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md#verifying-webhook-authenticity):
 * HMAC-SHA256 over `${webhook-id}.${webhook-timestamp}.${body}` with the base64 key after
 * `whsec_`, compared in constant time with each `v1,` signature of the header (a rotated-out
 * secret signs too for a day), and a timestamp within 5 minutes. Web Crypto only: runs in Node,
 * Deno, Bun and edge runtimes. Reads `webhook-*` headers, else Svix's `svix-*` names.
 */
import type { WebhookEventJSON } from "@foyer/contract";

/** How far `webhook-timestamp` may be from now, either way (the spec's 5 minutes). */
export const WEBHOOK_TOLERANCE_SECONDS = 5 * 60;

export type WebhookVerificationErrorCode =
  | "webhook_headers_missing"
  | "webhook_timestamp_invalid"
  | "webhook_signature_invalid"
  | "webhook_secret_invalid"
  | "webhook_payload_invalid";

/** Why a delivery was refused; answer the sender 400 and do nothing with the body. */
export class WebhookVerificationError extends Error {
  readonly code: WebhookVerificationErrorCode;
  constructor(code: WebhookVerificationErrorCode, message: string) {
    super(message);
    this.name = "WebhookVerificationError";
    this.code = code;
  }
}

function header(request: Request, name: string): string | null {
  return request.headers.get(`webhook-${name}`) ?? request.headers.get(`svix-${name}`);
}

function base64ToBytes(text: string): Uint8Array<ArrayBuffer> {
  const bin = atob(text);
  const out = new Uint8Array(new ArrayBuffer(bin.length));
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Constant-time for equal lengths; lengths are not secret (every v1 signature is 32 bytes). */
function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

export interface VerifyWebhookOptions {
  /** Seconds since the epoch to check the timestamp against (default: now). */
  nowSeconds?: number;
}

/**
 * Verifies a delivery and returns its event. Throws WebhookVerificationError on a missing header,
 * a timestamp older or newer than 5 minutes, or no matching signature. Reads the body once:
 * pass a Request whose body is unread (or a clone).
 *
 * @example
 * const event = await verifyWebhook(request, process.env.FOYER_WEBHOOK_SECRET!);
 * if (await alreadySeen(event.id)) return new Response(null, { status: 204 }); // webhook-id
 */
export async function verifyWebhook(
  request: Request,
  secret: string,
  opts: VerifyWebhookOptions = {},
): Promise<WebhookEventJSON> {
  const id = header(request, "id");
  const timestamp = header(request, "timestamp");
  const signatures = header(request, "signature");
  if (!id || !timestamp || !signatures) {
    throw new WebhookVerificationError(
      "webhook_headers_missing",
      "The webhook-id, -timestamp or -signature header is missing.",
    );
  }
  const ts = Number(timestamp);
  const now = opts.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (!/^\d+$/.test(timestamp) || Math.abs(now - ts) > WEBHOOK_TOLERANCE_SECONDS) {
    throw new WebhookVerificationError(
      "webhook_timestamp_invalid",
      "The webhook timestamp is too old, too new or not a number.",
    );
  }
  let keyBytes: Uint8Array<ArrayBuffer>;
  try {
    keyBytes = base64ToBytes(secret.startsWith("whsec_") ? secret.slice(6) : secret);
  } catch {
    throw new WebhookVerificationError("webhook_secret_invalid", "The secret is not a whsec_ secret.");
  }
  const body = await request.text();
  const key = await crypto.subtle.importKey("raw", keyBytes, { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
  ]);
  const expected = new Uint8Array(
    await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(`${id}.${timestamp}.${body}`)),
  );
  const matched = signatures.split(" ").some((entry) => {
    const [version, value] = entry.split(",", 2);
    if (version !== "v1" || !value) return false;
    try {
      return equalBytes(base64ToBytes(value), expected);
    } catch {
      return false;
    }
  });
  if (!matched) {
    throw new WebhookVerificationError(
      "webhook_signature_invalid",
      "No signature of this delivery matches the secret.",
    );
  }
  try {
    return JSON.parse(body) as WebhookEventJSON;
  } catch {
    throw new WebhookVerificationError("webhook_payload_invalid", "The signed body is not JSON.");
  }
}
