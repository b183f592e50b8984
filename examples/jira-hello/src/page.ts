import type { JiraHelloOptions } from "./config.js";

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c,
  );

/**
 * The one page: a shell that public/app.js fills in. The browser gets only public values (the
 * publishable key and where @foyer/js lives); the secret key stays on the server.
 */
export function pageHtml(options: Pick<JiraHelloOptions, "publishableKey" | "foyerJsUrl">): string {
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Jira Hello · Foyer example</title>
  <link rel="stylesheet" href="/app.css">
  <script type="module" src="/app.js"></script>
</head>
<body data-publishable-key="${escapeHtml(options.publishableKey)}" data-foyer-js="${escapeHtml(options.foyerJsUrl)}">
  <main>
    <header>
      <h1>Jira Hello</h1>
      <p class="tagline">Sign in with Atlassian through Foyer, then this app's server calls Jira for you.</p>
    </header>
    <p id="notice" role="alert" hidden></p>
    <section id="app" aria-live="polite"><p class="muted">Loading…</p></section>
  </main>
</body>
</html>
`;
}

/**
 * The page's Content-Security-Policy: scripts only from here and from Foyer (where @foyer/js is
 * served), fetches only to here and the instance's Frontend API.
 */
export function pageCsp(foyerJsUrl: string, frontendApiUrl: string): string {
  const foyerJs = new URL(foyerJsUrl).origin;
  const fapi = new URL(frontendApiUrl).origin;
  return [
    "default-src 'self'",
    `script-src 'self' ${foyerJs}`,
    `connect-src 'self' ${fapi}`,
    // Atlassian avatars live on Atlassian's CDNs (and Gravatar); any https image is fine here.
    "img-src 'self' https: data:",
    "style-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}
