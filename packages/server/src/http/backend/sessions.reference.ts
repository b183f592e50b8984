/** API reference entries of `sessions.ts` (paths relative to its router, mounted at /v1). */
import { backendSessionJsonSchema } from "../../sessions/session-json-schema.js";
import { listOrPage } from "../reference/envelope-schemas.js";
import type { RouteDoc } from "../reference/route-doc.js";
import { listQuery } from "./sessions.js";

const session = { status: 200, description: "The session.", schema: backendSessionJsonSchema };

export const sessionRouteDocs: RouteDoc[] = [
  {
    method: "get",
    path: "/sessions",
    summary: "List sessions",
    description:
      "A plain array, or `{ data, total_count }` with `paginated=true` (what @clerk/backend sends).",
    query: listQuery,
    response: { status: 200, description: "The sessions.", schema: listOrPage(backendSessionJsonSchema) },
  },
  {
    method: "get",
    path: "/sessions/:id",
    summary: "Get a session",
    response: session,
    errors: ["session_not_found"],
  },
  {
    method: "post",
    path: "/sessions/:id/revoke",
    summary: "Revoke a session",
    description:
      "Takes effect for every path that issues tokens, at the latest when the current 60 s token expires.",
    response: session,
    errors: ["session_not_found"],
  },
];
