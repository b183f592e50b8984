/**
 * An HTTPS server on loopback with a certificate made for the test: a throwaway CA (openssl, in
 * a temporary folder removed at once) signs a leaf for `localhost` and 127.0.0.1. Clients that
 * must trust it are given `ca` explicitly (Foyer: `createServices({ outboundCa })`); nothing is
 * added to the process's trust store.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import type { RequestListener } from "node:http";
import { createServer } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface TestCertificates {
  /** The CA's certificate (PEM): what a client must trust. */
  ca: string;
  key: string;
  cert: string;
}

/** A CA and a leaf for localhost/127.0.0.1 signed by it, valid one day. */
export function makeTestCertificates(): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), "foyer-tls-"));
  const f = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync("openssl", args, { stdio: "pipe" });
  try {
    openssl(
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:prime256v1",
      "-nodes",
      "-keyout",
      f("ca.key"),
      "-out",
      f("ca.pem"),
      "-days",
      "1",
      "-subj",
      "/CN=Foyer test CA",
    );
    openssl(
      "req",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:prime256v1",
      "-nodes",
      "-keyout",
      f("leaf.key"),
      "-out",
      f("leaf.csr"),
      "-subj",
      "/CN=localhost",
    );
    writeFileSync(f("ext.cnf"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
    openssl(
      "x509",
      "-req",
      "-in",
      f("leaf.csr"),
      "-CA",
      f("ca.pem"),
      "-CAkey",
      f("ca.key"),
      "-CAcreateserial",
      "-out",
      f("leaf.pem"),
      "-days",
      "1",
      "-extfile",
      f("ext.cnf"),
    );
    return {
      ca: readFileSync(f("ca.pem"), "utf8"),
      key: readFileSync(f("leaf.key"), "utf8"),
      cert: readFileSync(f("leaf.pem"), "utf8"),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface LoopbackHttps {
  /** `https://127.0.0.1:PORT` (an IP literal: no DNS answer with ::1 to miss the listener) */
  origin: string;
  ca: string;
  /** Requests answered so far, by path. */
  hits: string[];
  close(): Promise<void>;
}

/** Starts an HTTPS server on 127.0.0.1 with fresh test certificates. */
export async function startLoopbackHttps(handler: RequestListener): Promise<LoopbackHttps> {
  const certs = makeTestCertificates();
  const hits: string[] = [];
  const server = createServer({ key: certs.key, cert: certs.cert }, (req, res) => {
    hits.push(req.url ?? "");
    handler(req, res);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  return {
    origin: `https://127.0.0.1:${port}`,
    ca: certs.ca,
    hits,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
