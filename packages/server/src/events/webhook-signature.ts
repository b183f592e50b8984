/**
 * Standard Webhooks signing (https://www.standardwebhooks.com/, "Signature scheme"): HMAC-SHA256
 * over `${id}.${timestamp}.${body}` with the base64 key after `whsec_`, sent as `v1,<base64>`,
 * several space-separated while a rotated-out secret still signs. The same values go under the
 * `webhook-*` and `svix-*` names, so Standard Webhooks, Svix and Clerk receivers all verify.
 */
import { createHmac, randomBytes } from "node:crypto";

export const SECRET_PREFIX = "whsec_";

export function newWebhookSecret(): string {
  return SECRET_PREFIX + randomBytes(32).toString("base64");
}

export function signature(secret: string, id: string, timestampSeconds: number, body: string): string {
  const key = Buffer.from(
    secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret,
    "base64",
  );
  return `v1,${createHmac("sha256", key).update(`${id}.${timestampSeconds}.${body}`).digest("base64")}`;
}

/** The headers of one delivery, signed by every secret given (current first). */
export function signedHeaders(
  secrets: readonly string[],
  id: string,
  timestampSeconds: number,
  body: string,
): Record<string, string> {
  const sig = secrets.map((s) => signature(s, id, timestampSeconds, body)).join(" ");
  const ts = String(timestampSeconds);
  return {
    "content-type": "application/json",
    "user-agent": "Foyer-Webhooks/1",
    "webhook-id": id,
    "webhook-timestamp": ts,
    "webhook-signature": sig,
    "svix-id": id,
    "svix-timestamp": ts,
    "svix-signature": sig,
  };
}
