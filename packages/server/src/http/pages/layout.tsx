import { raw } from "hono/html";
import type { Child } from "hono/jsx";
import { PAGE_CSS } from "./styles.js";

/** The frame of every hosted page: one card, inline CSS under the response's CSP nonce. */
export function Layout(props: { title: string; nonce: string; children: Child }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <title>{props.title}</title>
        {/* raw: JSX would HTML-escape the CSS's quotes, and style text is not entity-decoded. */}
        <style nonce={props.nonce}>{raw(PAGE_CSS)}</style>
      </head>
      <body>
        <main>
          {props.children}
          <footer>Secured by Foyer</footer>
        </main>
      </body>
    </html>
  );
}

/** Atlassian's mark, inline so the page loads nothing from elsewhere. */
export function AtlassianMark() {
  return (
    <svg width="20" height="20" viewBox="0 0 32 32" aria-hidden="true">
      <path
        fill="currentColor"
        d="M9.4 14.6c-.4-.5-1.1-.4-1.4.1L1.1 28.4c-.3.6.1 1.3.8 1.3h9.6c.3 0 .6-.2.8-.5 2.1-4.3.8-10.9-2.9-14.6zM14.5 2.3c-3.8 6.1-3.5 12.8-1 17.9l4.6 9c.2.3.5.5.8.5h9.6c.7 0 1.1-.7.8-1.3L15.9 2.3c-.3-.6-1.1-.6-1.4 0z"
      />
    </svg>
  );
}
