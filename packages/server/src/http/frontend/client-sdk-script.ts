import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { Hono } from "hono";
import { ApiError } from "../../errors/api-error.js";

/**
 * Serves the browser SDK at `<public url>/js/foyer.js`, so a page needs no bundler:
 * `import { Foyer } from "https://foyer.example.com/js/foyer.js"`. The file is @foyer/js bundled
 * into one ES module with what it uses of @foyer/contract (`npm run build` writes
 * packages/js/dist/foyer.js): a browser cannot resolve the package's bare `@foyer/contract`
 * import, so the package's own dist/index.js is not servable as is. Module scripts are fetched in
 * CORS mode, hence `Access-Control-Allow-Origin: *` (public code, no credentials involved).
 */
const DIST = fileURLToPath(new URL("../../../../js/dist/", import.meta.url));
const SERVED = new Set(["foyer.js", "foyer.js.map"]);

export function clientSdkScriptRoutes(): Hono {
  const r = new Hono();
  r.get("/:file", async (c) => {
    const file = c.req.param("file");
    if (!SERVED.has(file)) throw new ApiError("route_not_found");
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
