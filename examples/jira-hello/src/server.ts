import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createJiraHello } from "./app.js";
import type { JiraHelloOptions } from "./config.js";

export { ConfigError, configFromEnv, type JiraHelloOptions } from "./config.js";

export interface RunningJiraHello {
  /** Where to open the app (its `appUrl`). */
  url: string;
  close(): Promise<void>;
}

/** node:http → Request, Response → node:http. The app only serves GETs, so bodies are not read. */
function toRequest(req: IncomingMessage): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  return new Request(`http://${req.headers.host ?? "localhost"}${req.url ?? "/"}`, {
    method: req.method === "HEAD" ? "HEAD" : req.method === "GET" ? "GET" : "POST",
    headers,
  });
}

async function send(res: ServerResponse, response: Response): Promise<void> {
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.end(Buffer.from(await response.arrayBuffer()));
}

/**
 * Starts the app on `options.port` (0: any free port). When `options.appUrl` is left out it is
 * `http://localhost:<the port it got>`.
 */
export async function startJiraHello(
  options: Omit<JiraHelloOptions, "appUrl"> & { appUrl?: string },
): Promise<RunningJiraHello> {
  let handle: ((request: Request) => Promise<Response>) | undefined;
  const server = createServer((req, res) => {
    if (!handle) {
      res.writeHead(503, { "Retry-After": "1" }).end();
      return;
    }
    handle(toRequest(req))
      .then((response) => send(res, response))
      .catch((err: unknown) => {
        console.error("jira-hello: request failed", err);
        if (!res.headersSent) res.writeHead(500, { "Content-Type": "application/json" });
        res.end('{"error":"internal_error"}');
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const appUrl = options.appUrl ?? `http://localhost:${port}`;
  handle = createJiraHello({ ...options, port, appUrl });
  return {
    url: appUrl,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeIdleConnections();
      }),
  };
}
