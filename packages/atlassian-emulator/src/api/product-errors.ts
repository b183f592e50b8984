/**
 * The error bodies each product answers with, so a client's error parsing meets the real shapes:
 * Jira's `{errorMessages, errors}`, Confluence v2's `{errors: [{status, code, title, detail}]}` and
 * Confluence v1's `{statusCode, data, message}`. Messages are the emulator's where Atlassian's
 * exact wording is not on record.
 */
import type { Context } from "hono";

export type ProductApi = "jira" | "confluence-v1" | "confluence-v2";

type ErrorStatus = 400 | 403 | 404 | 410;

const V2_CODES: Record<ErrorStatus, { code: string; title: string }> = {
  400: { code: "INVALID_REQUEST_PARAMETER", title: "Bad Request" },
  403: { code: "FORBIDDEN", title: "Forbidden" },
  404: { code: "NOT_FOUND", title: "Not Found" },
  410: { code: "GONE", title: "Gone" },
};

export function productError(c: Context, api: ProductApi, status: ErrorStatus, message: string): Response {
  if (api === "jira") return c.json({ errorMessages: [message], errors: {} }, status);
  if (api === "confluence-v2") {
    return c.json({ errors: [{ status, ...V2_CODES[status], detail: message }] }, status);
  }
  return c.json(
    {
      statusCode: status,
      data: { authorized: status !== 403, valid: true, errors: [], successful: false },
      message,
    },
    status,
  );
}

/** A scope the operation needs is not in the token, or does not apply on this site. */
export function missingScope(c: Context, api: ProductApi, needed: readonly string[]): Response {
  return productError(
    c,
    api,
    403,
    `The access token does not grant the scope this operation needs on this site: ${needed.join(" or ")}.`,
  );
}
