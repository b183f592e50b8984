/** API reference entry of `jwks.ts` (mounted at /v1). */
import { jwksJsonSchema } from "../reference/envelope-schemas.js";
import type { RouteDoc } from "../reference/route-doc.js";

export const jwksRouteDocs: RouteDoc[] = [
  {
    method: "get",
    path: "/jwks",
    summary: "The instance's JWK Set",
    description:
      "The active signing key and recently retired ones, to verify session tokens without a network call.",
    response: { status: 200, description: "The JWK Set (RFC 7517).", schema: jwksJsonSchema },
  },
];
