import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { extname } from "node:path";

/**
 * The built React page (web/, built by Vite to dist/web): its index.html with the publishable key
 * put in, and its hashed assets. From dist/ (the built server) and src/ (tests) alike.
 */
const WEB_DIR = new URL("../dist/web/", import.meta.url);

const KEY_META = /<meta name="foyer-publishable-key" content="" ?\/?>/;

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c,
  );

/**
 * The page's HTML, read once: Vite's index.html with the publishable key in its `<meta>` tag. The
 * browser gets only public values; the secret key stays on the server.
 */
export function pageHtml(publishableKey: string): string {
  let html: string;
  try {
    html = readFileSync(new URL("index.html", WEB_DIR), "utf8");
  } catch {
    throw new Error("jira-hello: dist/web/index.html is missing; build the page first (npm run build).");
  }
  if (!KEY_META.test(html)) throw new Error("jira-hello: dist/web/index.html has no publishable-key <meta>.");
  return html.replace(
    KEY_META,
    `<meta name="foyer-publishable-key" content="${escapeHtml(publishableKey)}">`,
  );
}

const TYPES: Record<string, string> = {
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".map": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".woff2": "font/woff2",
};

/** `/assets/<name>`: a plain file name only (no dot first, no slash), so nothing else is reachable. */
const ASSET = /^\/assets\/([\w-][\w.-]*)$/;

/** A built asset, or undefined when the path is not one. Vite hashes the names: cache them for good. */
export async function assetResponse(
  pathname: string,
  headers: Record<string, string>,
): Promise<Response | undefined> {
  const name = ASSET.exec(pathname)?.[1];
  const type = name ? TYPES[extname(name)] : undefined;
  if (!name || !type) return undefined;
  const body = await readFile(new URL(`assets/${name}`, WEB_DIR)).catch(() => undefined);
  if (!body) return undefined;
  return new Response(body, {
    headers: { "Content-Type": type, "Cache-Control": "public, max-age=31536000, immutable", ...headers },
  });
}

/**
 * The page's Content-Security-Policy: scripts and styles only from this origin (the Vite bundle,
 * @foyer/js inside it), fetches only to here and the instance's Frontend API. Nothing inline.
 */
export function pageCsp(frontendApiUrl: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    `connect-src 'self' ${new URL(frontendApiUrl).origin}`,
    // Atlassian avatars live on Atlassian's CDNs (and Gravatar); any https image is fine here.
    "img-src 'self' https: data:",
    "style-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}
