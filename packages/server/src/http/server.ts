import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import type { Services } from "../services.js";
import { createApp } from "./app.js";

export interface RunningServer {
  url: string;
  port: number;
  /** Stops accepting connections, lets in-flight requests finish, then closes the database. */
  close(): Promise<void>;
}

export async function listen(
  svc: Services,
  opts: { port: number; host: string; closeDb?: boolean },
): Promise<RunningServer> {
  const app = createApp(svc);
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: opts.port, hostname: opts.host }, () => resolve(s));
    s.once("error", reject);
  });
  const port = (server.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${opts.host.includes(":") ? `[${opts.host}]` : opts.host}:${port}`,
    port,
    close() {
      closing ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          // Idle keep-alive sockets would hold close() open forever; busy ones finish their request.
          if ("closeIdleConnections" in server) server.closeIdleConnections();
        });
        if (opts.closeDb !== false) await svc.db.close();
      })();
      return closing;
    },
  };
}
