import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

/**
 * The React front end (web/) built to dist/web, which the app's server serves. No plugin: Vite
 * compiles TSX itself. No module-preload polyfill: it would be one more script, and the page's
 * CSP allows scripts from its own origin only.
 */
export default defineConfig({
  root: fileURLToPath(new URL("./web", import.meta.url)),
  base: "/",
  build: {
    outDir: fileURLToPath(new URL("./dist/web", import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
    modulePreload: { polyfill: false },
  },
});
