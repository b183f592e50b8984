import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import type { Browser, Page } from "playwright-core";

/**
 * The browser tests' app: test-page/app.tsx bundled with esbuild, served on its own origin with a
 * strict CSP (`default-src 'self'`, plus connect-src for the Frontend API @foyer/js calls), the
 * stylesheet linked from that origin, and the publishable key in a <meta> tag (no inline script).
 */
const ENTRY = fileURLToPath(new URL("./app.tsx", import.meta.url));
const CSS = fileURLToPath(new URL("../styles.css", import.meta.url));

export interface TestApp {
  origin: string;
  publishableKey: string;
  close(): Promise<void>;
}

/** Another page to serve the same way: packaging/react18 bundles one from an installed @foyer/react. */
export interface TestAppSource {
  /** The page's entry module (esbuild resolves its imports from its own folder up). */
  entry: string;
  /** The stylesheet served as /foyer.css. */
  css: string;
}

/**
 * `fapiOrigin`: the Frontend API's origin (for connect-src). `allowOrigin`: adds the app's origin
 * to the instance's allowed origins and answers the publishable key (the test owns Foyer: this
 * helper is not a test file, so it may not import the test kit). `source`: this folder's app.tsx
 * and the source stylesheet unless given.
 */
export async function serveTestApp(
  fapiOrigin: string,
  allowOrigin: (origin: string) => Promise<string>,
  source: TestAppSource = { entry: ENTRY, css: CSS },
): Promise<TestApp> {
  const built = await build({
    entryPoints: [source.entry],
    bundle: true,
    write: false,
    format: "esm",
    platform: "browser",
    target: "es2022",
    jsx: "automatic",
    define: { "process.env.NODE_ENV": '"development"' },
    logLevel: "silent",
  });
  const bundle = built.outputFiles[0]!.text;
  let publishableKey = "";
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    res.setHeader("content-security-policy", `default-src 'self'; connect-src 'self' ${fapiOrigin}`);
    if (path === "/app.js") {
      res.setHeader("content-type", "text/javascript");
      res.end(bundle);
    } else if (path === "/foyer.css") {
      res.setHeader("content-type", "text/css");
      res.end(readFileSync(source.css));
    } else {
      res.setHeader("content-type", "text/html; charset=utf-8");
      res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="foyer-publishable-key" content="${publishableKey}">
<title>React Hello</title><link rel="stylesheet" href="/foyer.css">
<script type="module" src="/app.js"></script></head><body><div id="root"></div></body></html>`);
    }
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  publishableKey = await allowOrigin(origin);
  return { origin, publishableKey, close: () => new Promise((r) => server.close(() => r())) };
}

/** A 390 px page that records CSP violations, failed responses and console errors from the start. */
export async function narrowPage(browser: Browser, options: { userAgent?: string } = {}) {
  const context = await browser.newContext({ viewport: { width: 390, height: 800 }, ...options });
  // Fail a step with its locator well before the test's own 30 s timeout.
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  page.on("response", (r) => {
    if (r.status() >= 400) problems.push(`${r.status()} ${r.request().method()} ${r.url()}`);
  });
  page.on("console", (m) => {
    // The browser's own favicon.ico request on Foyer's and the emulator's pages is no fault of the page.
    if (m.location().url.endsWith("/favicon.ico")) return;
    if (m.type() === "error" || /Content Security Policy/i.test(m.text()))
      problems.push(`console: ${m.text()} at ${m.location().url}`);
  });
  // An init script runs through the debugging protocol, not the page, so the CSP does not apply to it.
  await page.addInitScript(() => {
    const w = window as unknown as { cspViolations: string[] };
    w.cspViolations = [];
    document.addEventListener("securitypolicyviolation", (e) =>
      w.cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`),
    );
  });
  return { context, page, problems };
}

/** No style attribute and no <style> element: every look comes from the linked stylesheet. */
export const inlineStyles = (page: Page) =>
  page.evaluate(() => document.querySelectorAll("[style], style").length);
export const scrollWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);
export const violations = (page: Page) =>
  page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);
