/**
 * The browser side of Foyer's flows, over node:http with keep-alive: a small cookie jar, the
 * Platform API, and a complete sign-in (start → emulator /authorize → callback → session).
 */
import http from "node:http";

export const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

/** One HTTP request; resolves with status, headers and the body as text. Never follows redirects. */
export function request(url, { method = "GET", headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : Buffer.from(body);
    const req = http.request(
      url,
      {
        method,
        agent,
        headers: payload ? { ...headers, "content-length": payload.length } : headers,
      },
      (res) => {
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () =>
          resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString() }),
        );
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(payload);
  });
}

export async function json(url, init = {}) {
  const res = await request(url, {
    ...init,
    headers: {
      accept: "application/json",
      ...(init.json ? { "content-type": "application/json" } : {}),
      ...init.headers,
    },
    body: init.json ? JSON.stringify(init.json) : init.body,
  });
  if (res.status >= 300) throw new Error(`${init.method ?? "GET"} ${url} -> ${res.status} ${res.body}`);
  return JSON.parse(res.body);
}

/** Host-only cookies with path-prefix matching: enough for Foyer's cookies. */
export class CookieJar {
  cookies = new Map();

  store(res) {
    for (const line of [res.headers["set-cookie"] ?? []].flat()) {
      const [pair, ...attrs] = line.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const path =
        attrs
          .map((a) => a.trim())
          .find((a) => a.toLowerCase().startsWith("path="))
          ?.slice(5) ?? "/";
      if (value === "" || attrs.some((a) => /max-age=0\b/i.test(a))) this.cookies.delete(name);
      else this.cookies.set(name, { value, path });
    }
  }

  header(url) {
    const path = new URL(url).pathname;
    return [...this.cookies]
      .filter(([, c]) => path.startsWith(c.path))
      .map(([n, c]) => `${n}=${c.value}`)
      .join("; ");
  }

  get(name) {
    return this.cookies.get(name)?.value;
  }
}

export async function browser(jar, url, init = {}) {
  const cookie = jar.header(url);
  const res = await request(url, { ...init, headers: { ...init.headers, ...(cookie ? { cookie } : {}) } });
  jar.store(res);
  return res;
}

/**
 * One complete sign-in, as a browser does it; the emulator answers /authorize by itself
 * (control.setAutoConsent). Returns the browser's jar, which then holds the `__client` cookie.
 */
export async function signIn(foyer, instanceId) {
  const jar = new CookieJar();
  const fapi = `${foyer.publicUrl}/fapi/${instanceId}`;
  const start = await browser(jar, `${fapi}/v1/client/sign_ins`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ strategy: "oauth_atlassian" }),
  });
  if (start.status !== 200) throw new Error(`sign-in start: ${start.status} ${start.body}`);
  const authorizeUrl = JSON.parse(start.body).response.first_factor_verification
    .external_verification_redirect_url;
  const consent = await request(authorizeUrl);
  if (consent.status !== 302) throw new Error(`emulator authorize: ${consent.status} ${consent.body}`);
  const callback = await browser(jar, consent.headers.location);
  if (callback.status !== 303 || !jar.get("__client")) {
    throw new Error(`callback: ${callback.status} ${callback.headers.location ?? ""} ${callback.body}`);
  }
  return jar;
}

/** The session a signed-in browser holds, and its user. */
export async function clientSession(foyer, instanceId, jar) {
  const url = `${foyer.publicUrl}/fapi/${instanceId}/v1/client`;
  const res = await browser(jar, url);
  const client = JSON.parse(res.body).response;
  const session = client.sessions[0];
  return { sessionId: session.id, userId: session.user.id, cookie: jar.header(url) };
}

/** The Platform API of a Foyer under test. */
export function platform(foyer, token) {
  const call = (path, init = {}) =>
    json(`${foyer.publicUrl}/platform/v1${path}`, {
      ...init,
      headers: { authorization: `Bearer ${token}`, ...init.headers },
    });
  return {
    call,
    /** The first-run application's development instance and its secret key. */
    async defaultInstance() {
      const apps = await call("/applications");
      const instance = apps.data[0].instances.find((i) => i.environment === "development");
      const keys = await call(`/instances/${instance.id}/secret_keys`);
      return { id: instance.id, secretKey: keys.data[0].key };
    },
    async newInstance(name) {
      const app = await call("/applications", { method: "POST", json: { name } });
      const instance = app.instances.find((i) => i.environment === "development");
      const keys = await call(`/instances/${instance.id}/secret_keys`);
      return { id: instance.id, secretKey: keys.data[0].key };
    },
  };
}
