/**
 * Debian's nginx running the repository's deploy/nginx/foyer.conf in front of a Foyer, for the
 * proxy recipe's tests. Only what cannot be the same on a test machine is changed (ports, the
 * server name, certificate paths, the upstream's port); every proxy setting is the file's, so a
 * header the recipe stops sending fails the tests. A self-signed certificate for localhost is made
 * with openssl; `request` trusts exactly that certificate (no verification is switched off).
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { request as httpsRequest } from "node:https";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const NGINX_PATH = process.env.FOYER_NGINX_PATH ?? "/usr/sbin/nginx";
export const NGINX_SITE = resolve(import.meta.dirname, "../../../deploy/nginx/foyer.conf");

export interface RunningNginx {
  /** https://localhost:<port>, the public URL Foyer is reached at. */
  url: string;
  httpsPort: number;
  httpPort: number;
  /** The certificate (PEM) nginx serves, the one `request` trusts. */
  certificate: string;
  certificatePath: string;
  errorLog(): string;
  close(): Promise<void>;
}

/** Replaces `from` by `to` in the site file, or throws: a recipe edit must not pass unnoticed. */
function replaceAll(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`deploy/nginx/foyer.conf no longer contains "${from}"`);
  return text.split(from).join(to);
}

/** The site file with this machine's ports, name and certificate; nothing else changed. */
export function templateSite(
  site: string,
  opts: { upstreamPort: number; httpsPort: number; httpPort: number; cert: string; key: string },
): string {
  let text = site;
  text = replaceAll(text, "server 127.0.0.1:3000;", `server 127.0.0.1:${opts.upstreamPort};`);
  text = replaceAll(text, "    listen [::]:80;\n", "");
  text = replaceAll(text, "    listen [::]:443 ssl http2;\n", "");
  text = replaceAll(text, "listen 80;", `listen 127.0.0.1:${opts.httpPort};`);
  text = replaceAll(text, "listen 443 ssl http2;", `listen 127.0.0.1:${opts.httpsPort} ssl http2;`);
  text = replaceAll(text, "/etc/letsencrypt/live/auth.example.com/fullchain.pem", opts.cert);
  text = replaceAll(text, "/etc/letsencrypt/live/auth.example.com/privkey.pem", opts.key);
  text = replaceAll(text, "server_name auth.example.com;", "server_name localhost;");
  return text;
}

/** A self-signed certificate for localhost (and 127.0.0.1), valid for a day. */
export function selfSignedCertificate(dir: string): { cert: string; key: string } {
  const cert = join(dir, "cert.pem");
  const key = join(dir, "key.pem");
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-days",
      "1",
      "-subj",
      "/CN=localhost",
      "-addext",
      "subjectAltName=DNS:localhost,IP:127.0.0.1",
      "-keyout",
      key,
      "-out",
      cert,
    ],
    { stdio: "pipe" },
  );
  return { cert, key };
}

async function waitForPort(port: number, proc: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const open = await new Promise<boolean>((done) => {
      const s = connect(port, "127.0.0.1", () => {
        s.end();
        done(true);
      }).on("error", () => done(false));
    });
    if (open) return;
    if (proc.exitCode !== null || Date.now() > deadline) {
      proc.kill("SIGKILL");
      throw new Error(`nginx did not listen on ${port}:\n${log()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** nginx in the foreground (`daemon off`) with everything it writes in a temporary folder. */
export async function startNginx(opts: {
  upstreamPort: number;
  httpsPort: number;
  httpPort: number;
  /** The site file's text; the repository's deploy/nginx/foyer.conf unless a test passes a variant. */
  site?: string;
}): Promise<RunningNginx> {
  const dir = mkdtempSync(join(tmpdir(), "foyer-nginx-"));
  const { cert, key } = selfSignedCertificate(dir);
  const site = templateSite(opts.site ?? readFileSync(NGINX_SITE, "utf8"), { ...opts, cert, key });
  writeFileSync(join(dir, "foyer.conf"), site);
  const temp = ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"]
    .map((t) => `  ${t}_temp_path ${join(dir, t)};`)
    .join("\n");
  // What /etc/nginx/nginx.conf gives a site on Debian, confined to the folder. As root nginx
  // would switch its workers to an unprivileged user that cannot enter the private folder.
  const main = `${process.getuid?.() === 0 ? "user root;\n" : ""}daemon off;
worker_processes 1;
pid ${join(dir, "nginx.pid")};
error_log ${join(dir, "error.log")} info;
events { worker_connections 256; }
http {
  access_log ${join(dir, "access.log")};
${temp}
  include ${join(dir, "foyer.conf")};
}
`;
  writeFileSync(join(dir, "nginx.conf"), main);
  const errorLog = () => {
    try {
      return readFileSync(join(dir, "error.log"), "utf8");
    } catch {
      return "";
    }
  };
  let output = "";
  const proc = spawn(NGINX_PATH, ["-p", dir, "-c", join(dir, "nginx.conf"), "-e", join(dir, "error.log")], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  proc.stdout!.on("data", (d) => {
    output += d;
  });
  proc.stderr!.on("data", (d) => {
    output += d;
  });
  const exited = new Promise<void>((done) => proc.once("exit", () => done()));
  await waitForPort(opts.httpsPort, proc, () => output + errorLog());
  return {
    url: `https://localhost:${opts.httpsPort}`,
    httpsPort: opts.httpsPort,
    httpPort: opts.httpPort,
    certificate: readFileSync(cert, "utf8"),
    certificatePath: cert,
    errorLog,
    close: async () => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill("SIGTERM");
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface PlainResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The body parsed (untyped, as Response.json() is). */
  json(): ReturnType<typeof JSON.parse>;
}

/** An https request that trusts `ca` only (Node's fetch takes no CA of its own). */
export function requestTrusting(
  ca: string,
  url: string,
  init: { method?: string; headers?: Record<string, string>; json?: unknown; body?: Buffer } = {},
): Promise<PlainResponse> {
  const body = init.body ?? (init.json === undefined ? undefined : JSON.stringify(init.json));
  const headers = { ...(body ? { "content-type": "application/json" } : {}), ...init.headers };
  return new Promise((done, fail) => {
    const req = httpsRequest(url, { method: init.method ?? "GET", headers, ca }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (d) => {
        text += d;
      });
      res.on("end", () =>
        done({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) }),
      );
    });
    req.on("error", fail);
    req.end(body);
  });
}
