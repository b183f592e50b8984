import { ApiError } from "../../errors/api-error.js";
import { cachedFrontendApiHosts } from "../../instances/instance-cache.js";
import { isLoopbackHost } from "../../instances/origins.js";
import type { Services } from "../../services.js";

/** Paths answered on any host: load balancers probe by IP address, not by name. */
const ANY_HOST_PATHS = new Set(["/healthz", "/readyz"]);

function hostOf(host: string): { hostname: string } | undefined {
  try {
    return { hostname: new URL(`http://${host}`).hostname };
  } catch {
    return undefined;
  }
}

/**
 * Production instances may serve their Frontend API on their own host (e.g.
 * https://clerk.example.com pointing at this server). A request on such a host is rewritten onto
 * /fapi/<instance id>/… so one router serves both forms. The host map is cached (it changes
 * only when an instance is created or deleted, and every process hears of that at once).
 *
 * Any other host is answered 421 `host_not_served`, never by the default routes: a name Foyer
 * does not know (DNS rebinding to a local Foyer, a stale CNAME, a spoofed Host behind a lax
 * proxy) must not reach the dashboard or the Backend API. Loopback hosts (localhost, 127.0.0.1,
 * any port) are served as the public host: a local proxy that does not pass Host on, a process
 * probed directly, localhost vs 127.0.0.1 in development. A rebinding page never has a loopback
 * host name, and a client that writes one gets nothing the public host does not serve.
 */
export function createHostRouter(svc: Services): (req: Request) => Promise<Request | Response> {
  const publicUrl = new URL(svc.config.publicUrl);
  const publicHost = publicUrl.host.toLowerCase();

  return async (req) => {
    const host = (req.headers.get("host") ?? new URL(req.url).host).toLowerCase();
    if (host === publicHost) return req;
    const instanceId = (await cachedFrontendApiHosts(svc)).get(host);
    if (!instanceId) {
      const parsed = hostOf(host);
      if (parsed && isLoopbackHost(parsed.hostname)) return req;
      if (ANY_HOST_PATHS.has(new URL(req.url).pathname)) return req;
      const error = new ApiError("host_not_served");
      return Response.json(error.toBody(), {
        status: error.status,
        headers: { "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff" },
      });
    }
    const url = new URL(req.url);
    url.pathname = `/fapi/${instanceId}${url.pathname === "/" ? "" : url.pathname}`;
    return new Request(url, req);
  };
}
