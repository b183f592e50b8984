import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { createJiraMcp, type JiraMcp, type JiraMcpOverrides } from "./app.js";
import type { JiraMcpOptions } from "./config.js";

export type { JiraMcp, JiraMcpOverrides } from "./app.js";
export { ConfigError, configFromEnv, type JiraMcpOptions } from "./config.js";

export interface RunningJiraMcp {
  /** The URL to give MCP clients (the resource identifier). */
  url: string;
  app: JiraMcp;
  close(): Promise<void>;
}

/** A request body larger than this is refused before it is read (JSON-RPC messages are small). */
const MAX_BODY_BYTES = 1024 * 1024;

function toRequest(req: IncomingMessage): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  const method = req.method ?? "GET";
  const hasBody = method !== "GET" && method !== "HEAD";
  return new Request(`http://${req.headers.host ?? "localhost"}${req.url ?? "/"}`, {
    method,
    headers,
    body: hasBody ? (Readable.toWeb(req) as ReadableStream<Uint8Array>) : undefined,
    duplex: "half",
  } as RequestInit);
}

async function send(res: ServerResponse, response: Response): Promise<void> {
  res.writeHead(response.status, Object.fromEntries(response.headers));
  if (!response.body) return void res.end();
  const reader = response.body.getReader();
  for (let r = await reader.read(); !r.done; r = await reader.read()) res.write(r.value);
  res.end();
}

/**
 * Starts the MCP server on `options.port` (0: any free port). Without `options.mcpUrl` the
 * resource is `http://localhost:<the port it got>/mcp`.
 */
export async function startJiraMcp(
  options: JiraMcpOptions,
  overrides: JiraMcpOverrides = {},
): Promise<RunningJiraMcp> {
  let app: JiraMcp | undefined;
  const server = createServer((req, res) => {
    if (!app) {
      res.writeHead(503, { "Retry-After": "1" }).end();
      return;
    }
    if (Number(req.headers["content-length"] ?? 0) > MAX_BODY_BYTES) {
      res.writeHead(413).end();
      return;
    }
    app
      .handle(toRequest(req))
      .then((response) => send(res, response))
      .catch((err: unknown) => {
        console.error("jira-mcp: request failed", err);
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
  const mcpUrl = options.mcpUrl ?? `http://localhost:${port}/mcp`;
  try {
    app = createJiraMcp({ ...options, mcpUrl }, overrides);
  } catch (err) {
    server.close();
    throw err;
  }
  return {
    url: app.foyer.resource,
    app,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
