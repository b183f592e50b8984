/**
 * Runs the emulator on real sockets: one port for everything, or the api.atlassian.com paths on
 * a second port when `apiPort` is given.
 */

import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import type { Hono } from "hono";
import { buildApp } from "./app.js";
import { createControl } from "./control/control.js";
import { createState, releaseHangs } from "./state.js";
import type { RunningEmulator, StartEmulatorOptions } from "./types.js";

export async function startAtlassianEmulator(opts: StartEmulatorOptions = {}): Promise<RunningEmulator> {
  const host = opts.host ?? "127.0.0.1";
  const state = createState(opts.seed, opts.settings);
  const control = createControl(state);
  const split = opts.apiPort !== undefined;

  const authApp = buildApp(state, control, { auth: true, api: !split, control: true });
  const authServer = await listen(authApp, host, opts.port ?? 0);
  const servers = [authServer];
  let apiServer = authServer;
  if (split) {
    apiServer = await listen(
      buildApp(state, control, { auth: false, api: true, control: false }),
      host,
      opts.apiPort!,
    );
    servers.push(apiServer);
  }

  const authUrl = baseUrl(host, authServer);
  let closed: Promise<void> | undefined;
  return {
    authUrl,
    apiUrl: baseUrl(host, apiServer),
    controlUrl: `${authUrl}/__emulator`,
    control,
    close() {
      closed ??= (async () => {
        // Requests held by token_hang resolve first; then every socket is cut, idle or not.
        releaseHangs(state);
        await Promise.all(
          servers.map(
            (server) =>
              new Promise<void>((resolve) => {
                server.close(() => resolve());
                server.closeAllConnections();
              }),
          ),
        );
      })();
      return closed;
    },
  };
}

function listen(app: Hono, hostname: string, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, hostname, port }) as Server;
    server.once("error", reject);
    server.once("listening", () => {
      server.off("error", reject);
      resolve(server);
    });
  });
}

function baseUrl(host: string, server: Server): string {
  const { port } = server.address() as AddressInfo;
  const h = host.includes(":") ? `[${host}]` : host;
  return `http://${h}:${port}`;
}
