import { type AuthState, authenticateRequest, createFoyerClient, parsePublishableKey } from "@foyer/backend";
import { loadAtlassianView } from "./atlassian.js";
import type { JiraHelloOptions } from "./config.js";
import { assetResponse, pageCsp, pageHtml } from "./web-assets.js";

/** The React page's own paths: the same HTML for each, the page picks what to show. */
const PAGES = new Set(["/", "/account"]);

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
 * The app's request handler, web-standard Request in, Response out: the built React page and its
 * assets, and `/api/atlassian`, whose session token (`Authorization: Bearer`, else the `__session`
 * cookie) is verified first; only tokens minted for this app's own origin (`azp`) are accepted.
 */
export function createJiraHello(options: JiraHelloOptions): (request: Request) => Promise<Response> {
  const frontendApiUrl = parsePublishableKey(options.publishableKey)?.frontendApiUrl;
  if (!frontendApiUrl) throw new Error("jira-hello: FOYER_PUBLISHABLE_KEY is not a Foyer publishable key.");
  const foyer = createFoyerClient({ secretKey: options.secretKey, apiUrl: options.apiUrl });
  const verify = { publishableKey: options.publishableKey, authorizedParties: [options.appUrl] };
  const csp = pageCsp(frontendApiUrl);
  const page = pageHtml(options.publishableKey);

  return async (request) => {
    const { pathname } = new URL(request.url);
    if (request.method !== "GET" && request.method !== "HEAD") {
      return json({ error: "method_not_allowed" }, 405);
    }
    if (PAGES.has(pathname)) {
      return new Response(page, {
        headers: {
          "Content-Type": "text/html; charset=utf-8",
          "Content-Security-Policy": csp,
          "Cache-Control": "no-store",
          ...SECURITY_HEADERS,
        },
      });
    }
    const asset = await assetResponse(pathname, SECURITY_HEADERS);
    if (asset) return asset;
    if (pathname === "/api/atlassian") {
      const auth: AuthState = await authenticateRequest(request, verify);
      if (auth.status !== "signed-in") return json({ error: "signed_out", reason: auth.reason }, 401);
      // The token's active organization (`o.cloud_id`) picks the site whose data the page shows.
      return json(await loadAtlassianView(foyer, auth.userId, options.jql, auth.orgCloudId));
    }
    return json({ error: "not_found" }, 404);
  };
}
