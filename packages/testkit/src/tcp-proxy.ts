/**
 * A TCP proxy between Foyer and its database, so a test can stall the database (connections
 * stay open, nothing comes back) or stop it (connections cut, new ones refused) for one test's
 * Foyer without touching the PostgreSQL server every other test shares.
 */
import { connect, createServer, type Server, type Socket } from "node:net";

export interface TcpProxy {
  /** `host:port` to put in a connection URL instead of the real one. */
  address: string;
  /** Holds all traffic (both ways) until `resume`: a stalled database. */
  pause(): void;
  resume(): void;
  /** Cuts every connection and refuses new ones until `start`: a stopped database. */
  stop(): void;
  start(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const pairs = new Set<[Socket, Socket]>();
  let paused = false;
  let stopped = false;
  const server: Server = createServer((client) => {
    if (stopped) {
      client.destroy();
      return;
    }
    const upstream = connect(target.port, target.host);
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    if (paused) {
      client.pause();
      upstream.pause();
    }
    client.pipe(upstream);
    upstream.pipe(client);
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on("error", end).on("close", end);
    upstream.on("error", end).on("close", end);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  const cut = () => {
    stopped = true;
    for (const [a, b] of pairs) {
      a.destroy();
      b.destroy();
    }
    pairs.clear();
  };
  return {
    address: `127.0.0.1:${port}`,
    pause() {
      paused = true;
      for (const [a, b] of pairs) {
        a.pause();
        b.pause();
      }
    },
    resume() {
      paused = false;
      for (const [a, b] of pairs) {
        a.resume();
        b.resume();
      }
    },
    stop: cut,
    start() {
      stopped = false;
    },
    async close() {
      cut();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
