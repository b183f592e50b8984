/**
 * Reading a token request the ways Atlassian accepts it: a JSON body (the documented form) or
 * x-www-form-urlencoded, with the client credentials in the body or in HTTP Basic.
 */
import type { Context } from "hono";

export type TokenParams = Record<string, string>;

/** Undefined when the body cannot be read as either encoding. */
export async function readTokenParams(c: Context): Promise<TokenParams | undefined> {
  const type = (c.req.header("content-type") ?? "").toLowerCase();
  const text = await c.req.text();
  if (type.includes("application/json")) {
    try {
      const value: unknown = JSON.parse(text);
      if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
      const out: TokenParams = {};
      for (const [k, v] of Object.entries(value)) if (typeof v === "string") out[k] = v;
      return out;
    } catch {
      return undefined;
    }
  }
  return Object.fromEntries(new URLSearchParams(text));
}

/** RFC 6749 §2.3.1: Basic credentials are form-encoded before base64. */
export function basicCredentials(
  header: string | undefined,
): { clientId: string; clientSecret: string } | undefined {
  const match = /^Basic\s+(\S+)$/i.exec(header ?? "");
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return undefined;
  const unform = (s: string) => {
    try {
      return decodeURIComponent(s.replace(/\+/g, " "));
    } catch {
      return s;
    }
  };
  return { clientId: unform(decoded.slice(0, colon)), clientSecret: unform(decoded.slice(colon + 1)) };
}
