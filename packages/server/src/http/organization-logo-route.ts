import { Hono } from "hono";
import { ApiError } from "../errors/api-error.js";
import { findLogo, LOGO_PATH } from "../organizations/organization-logos.js";
import type { Services } from "../services.js";

/**
 * `GET /organization_logos/{id}`: an uploaded organization logo, public as Clerk's image URLs
 * are (the app's pages show it). The stored, sniffed type is the Content-Type and nosniff
 * holds the browser to it; a sandboxing CSP and an attachment-free inline answer keep even a
 * browser that ignores both from running anything. A logo id never changes bytes, so it is
 * cacheable for good; a replaced or deleted logo is a 404.
 */
export function organizationLogoRoutes(svc: Services): Hono {
  const r = new Hono();
  r.get(`${LOGO_PATH}/:logoId`, async (c) => {
    const logo = await findLogo(svc, c.req.param("logoId"));
    if (!logo) throw new ApiError("resource_not_found", { longMessage: "No logo with that id." });
    return c.body(new Uint8Array(logo.bytes), 200, {
      "Content-Type": logo.contentType,
      "Content-Length": String(logo.bytes.byteLength),
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "default-src 'none'; sandbox",
      // Apps on other origins show it in an <img>.
      "Cross-Origin-Resource-Policy": "cross-origin",
      "Cache-Control": "public, max-age=31536000, immutable",
    });
  });
  return r;
}
