import type { Child } from "hono/jsx";
import { DASHBOARD_PATH } from "../url.js";
import { Csrf } from "./components.js";

/**
 * The page frame. `referrer=same-origin` matters: Foyer's default no-referrer policy would make
 * browsers send "Origin: null" on form posts, and the dashboard refuses posts of unknown origin.
 */
export function Layout(props: { title: string; csrf?: string; children?: Child }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="same-origin" />
        <title>{`${props.title} · Foyer dashboard`}</title>
        <link rel="stylesheet" href={`${DASHBOARD_PATH}/assets/dashboard.css`} />
        <script src={`${DASHBOARD_PATH}/assets/dashboard.js`} defer></script>
      </head>
      <body>
        <header class="topbar">
          <a class="brand" href={DASHBOARD_PATH}>
            Foyer
          </a>
          <nav aria-label="Main">{props.csrf ? <a href={DASHBOARD_PATH}>Applications</a> : null}</nav>
          {props.csrf ? (
            <form method="post" action={`${DASHBOARD_PATH}/sign-out`}>
              <Csrf token={props.csrf} />
              <button type="submit">Sign out</button>
            </form>
          ) : null}
        </header>
        <main>{props.children}</main>
      </body>
    </html>
  );
}
