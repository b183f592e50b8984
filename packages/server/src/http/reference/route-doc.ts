/**
 * The API reference's entry for one route: what a route file says about each route it
 * registers, next to it, in `<route file>.reference.ts`.
 *
 * Why a registry and not `@hono/zod-openapi`: that package validates through its own
 * validator and wants every route rewritten as `createRoute(...)` on an `OpenAPIHono`, which
 * would replace `readBody` (body size and depth limits, form bodies, NUL refusal, the
 * catalogue's `form_param_*` codes) and touch every handler. Here a route keeps validating with
 * `readBody(c, schema)` and its entry names that same schema object; zod 4's own
 * `z.toJSONSchema` turns it into the document. One schema stays the single source, and
 * `reference-drift.test.ts` fails when a route and its entry part ways.
 */
import type { ErrorCode } from "@foyer/contract";
import type { z } from "zod";

export type Method = "get" | "post" | "patch" | "put" | "delete";

export interface RouteDoc {
  method: Method;
  /** The path as the route file registers it with Hono, relative to its router: `/:id/secret_keys`. */
  path: string;
  summary: string;
  description?: string;
  /** Set by {@link mounted}: the group the document lists the route under. */
  tag?: string;
  /** The very schema object the handler passes to `readBody` (the drift test checks it is the same object). */
  body?: z.ZodType;
  /** The handler also accepts the body as `application/x-www-form-urlencoded` (`readBody`'s `allowForm`). */
  form?: boolean;
  /** A `multipart/form-data` body (an upload): its fields, `binary` for a file. */
  multipart?: { required: string[]; fields: Record<string, { description: string; binary?: boolean }> };
  /** The very schema object the handler parses the query string with. */
  query?: z.ZodObject;
  /** Schemas of path parameters that are not free strings, e.g. an enum (described with `.describe`). */
  params?: Record<string, z.ZodType>;
  /** Request headers the route reads besides the credential, e.g. `If-Match` (described with `.describe`). */
  headers?: Record<string, z.ZodType>;
  /**
   * The success answer; `schema` undefined for a redirect or a non-JSON answer; `headers`: the
   * answer's headers worth knowing (name → what it holds), e.g. `ETag`.
   */
  response: { status: number; description: string; schema?: z.ZodType; headers?: Record<string, string> };
  /** Catalogue codes this route answers with, besides the ones every route of its API may give. */
  errors?: ErrorCode[];
  /** Readable without credentials (the document itself, the browser's OAuth callback). */
  public?: boolean;
}

/** The entries of a route file as its API sees them: paths joined to where app.ts mounts the router. */
export function mounted(prefix: string, tag: string, docs: RouteDoc[]): RouteDoc[] {
  return docs.map((doc) => ({ ...doc, tag, path: joinPath(prefix, doc.path) }));
}

/** Joins like Hono's `app.route(prefix, router)`: a router's "/" is the prefix itself. */
function joinPath(prefix: string, path: string): string {
  const head = prefix.replace(/\/+$/, "");
  if (path === "/") return head || "/";
  return `${head}${path}`;
}

/** Hono's `/users/:userId` as OpenAPI's `/users/{userId}`. */
export function openApiPath(honoPath: string): string {
  return honoPath.replace(/:([A-Za-z0-9_]+)/g, "{$1}");
}

/** The names of a Hono path's parameters, in order. */
export function pathParams(honoPath: string): string[] {
  return [...honoPath.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]!);
}
