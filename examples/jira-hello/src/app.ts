import { readFile } from "node:fs/promises";
import { type AuthState, authenticateRequest, createFoyerClient, parsePublishableKey } from "@foyer/backend";
import { loadAtlassianView } from "./atlassian.js";
import type { JiraHelloOptions } from "./config.js";
import { pageCsp, pageHtml } from "./page.js";

const PUBLIC_DIR = new URL("../public/", import.meta.url);
const STATIC: Record<string, string> = {
  "/app.js": "text/javascript; charset=utf-8",
  "/app.css": "text/css; charset=utf-8",
};

const SECURITY_HEADERS = {
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "strict-origin-when-cross-origin",
};

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json", "Cache-Control": "no-store", ...SECURITY_HEADERS },
  });
}

/**
 * The app's request handler, web-standard Request in, Response out. Every request's session
 * token (`Authorization: Bearer`, else the `__session` cookie) is verified first; only tokens
 * minted for this app's own origin (`azp`) are accepted.
 */
export function createJiraHello(options: JiraHelloOptions): (request: Request) => Promise<Response> {
  const frontendApiUrl = parsePublishableKey(options.publishableKey)?.frontendApiUrl;
  if (!frontendApiUrl) throw new Error("jira-hello: FOYER_PUBLISHABLE_KEY is not a Foyer publishable key.");
  const foyer = createFoyerClient({ secretKey: options.secretKey, apiUrl: options.apiUrl });
  const verify = { publishableKey: options.publishableKey, authorizedParties: [options.appUrl] };
  const csp = pageCsp(options.foyerJsUrl, frontendApiUrl);
  const page = pageHtml(options);

  return async (request) => {
    const { pathname } = new URL(request.url);
    if (request.method !== "GET" && request.method !== "HEAD") {
      return json({ error: "method_not_allowed" }, 405);
    }
    const auth: AuthState = await authenticateRequest(request, verify);

    if (pathname === "/") {
      return new Response(page, {
        headers: {
          "Content-Type": "text/html; charset=utf-8",
          "Content-Security-Policy": csp,
          "Cache-Control": "no-store",
          ...SECURITY_HEADERS,
        },
      });
    }
    const type = STATIC[pathname];
    if (type) {
      const body = await readFile(new URL(`.${pathname}`, PUBLIC_DIR), "utf8");
      return new Response(body, {
        headers: { "Content-Type": type, "Cache-Control": "no-cache", ...SECURITY_HEADERS },
      });
    }
    if (pathname === "/api/atlassian") {
      if (auth.status !== "signed-in") return json({ error: "signed_out", reason: auth.reason }, 401);
      return json(await loadAtlassianView(foyer, auth.userId, options.jql));
    }
    return json({ error: "not_found" }, 404);
  };
}
