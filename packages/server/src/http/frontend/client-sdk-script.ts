import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { Hono } from "hono";
import { ApiError } from "../../errors/api-error.js";

/**
 * Serves the browser SDK (@foyer/js, built to packages/js/dist) at `<public url>/js/…`, so a page
 * needs no bundler: `import { Foyer } from "https://foyer.example.com/js/foyer.js"`. `foyer.js`
 * is the package entry (dist/index.js); its relative imports resolve to the sibling files.
 * Module scripts are fetched in CORS mode, hence `Access-Control-Allow-Origin: *` (public code,
 * no credentials involved).
 */
const DIST = fileURLToPath(new URL("../../../../js/dist/", import.meta.url));
const FILE = /^[a-z0-9-]+\.js(\.map)?$/;

export function clientSdkScriptRoutes(): Hono {
  const r = new Hono();
  r.get("/:file", async (c) => {
    const requested = c.req.param("file");
    if (!FILE.test(requested)) throw new ApiError("route_not_found");
    const file =
      requested === "foyer.js" ? "index.js" : requested === "foyer.js.map" ? "index.js.map" : requested;
    let body: string;
    try {
      body = await readFile(DIST + file, "utf8");
    } catch {
      throw new ApiError("route_not_found");
    }
    return c.body(body, 200, {
      "Content-Type": file.endsWith(".map") ? "application/json" : "text/javascript; charset=utf-8",
      "Cache-Control": "public, max-age=300",
      "Access-Control-Allow-Origin": "*",
      "Cross-Origin-Resource-Policy": "cross-origin",
    });
  });
  return r;
}
