import { instancesByFrontendApiHost } from "../../instances/instance-row.js";
import type { Services } from "../../services.js";

/**
 * Production instances may serve their Frontend API on their own host (e.g.
 * https://clerk.example.com pointing at this server). A request on such a host is rewritten onto
 * /fapi/<instance id>/… so one router serves both forms. The host map is cached briefly: it
 * changes only when an instance is created.
 */
export function createHostRouter(svc: Services): (req: Request) => Promise<Request> {
  let cache: { at: number; hosts: Map<string, string> } | undefined;
  const publicHost = new URL(svc.config.publicUrl).host.toLowerCase();

  async function hosts(): Promise<Map<string, string>> {
    if (cache && Date.now() - cache.at < 5_000) return cache.hosts;
    cache = { at: Date.now(), hosts: await instancesByFrontendApiHost(svc) };
    return cache.hosts;
  }

  return async (req) => {
    const host = (req.headers.get("host") ?? new URL(req.url).host).toLowerCase();
    if (host === publicHost) return req;
    const instanceId = (await hosts()).get(host);
    if (!instanceId) return req;
    const url = new URL(req.url);
    url.pathname = `/fapi/${instanceId}${url.pathname === "/" ? "" : url.pathname}`;
    return new Request(url, req);
  };
}
