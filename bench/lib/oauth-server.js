/**
 * The instance's authorization server under load: refresh-token grants, the token issuance a
 * long-lived OAuth client (an MCP client) repeats. Refresh tokens rotate (each is single-use),
 * so the load is `chains` clients each refreshing back to back with the token the last answer
 * gave; every answer is a rotation (consume + store) and an ES256 JWT access token.
 */
import { createHash, randomBytes } from "node:crypto";
import { browser, request } from "./flow.js";
import { cpuMs } from "./procs.js";

const RESOURCE = "https://mcp.bench.example/mcp";
const REDIRECT = "http://127.0.0.1:9/cb";

async function firstRefreshToken(fapi, client, jar) {
  const verifier = randomBytes(32).toString("base64url");
  const url = new URL(`${fapi}/oauth/authorize`);
  url.search = new URLSearchParams({
    client_id: client.client_id,
    redirect_uri: REDIRECT,
    response_type: "code",
    scope: "openid mcp:tools",
    resource: RESOURCE,
    code_challenge: createHash("sha256").update(verifier).digest("base64url"),
    code_challenge_method: "S256",
  }).toString();
  let next = url.href;
  let init = {};
  for (let hop = 0; hop < 12; hop++) {
    const res = await browser(jar, next, init);
    init = {};
    if (res.headers.location) {
      const to = new URL(res.headers.location, next);
      if (to.href.startsWith(REDIRECT)) return exchange(fapi, client, verifier, to.searchParams.get("code"));
      next = to.href;
      continue;
    }
    const action = /action="([^"]*\/confirm)"/.exec(res.body);
    const token = /name="form_token" value="([^"]+)"/.exec(res.body);
    if (!action || !token) throw new Error(`authorize: ${res.status} ${res.body.slice(0, 200)}`);
    next = new URL(action[1], next).href;
    init = {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: new URL(next).origin },
      body: `form_token=${encodeURIComponent(token[1])}`,
    };
  }
  throw new Error("authorize: too many redirects");
}

function tokenCall(fapi, client, params) {
  const basic = Buffer.from(`${client.client_id}:${client.client_secret}`).toString("base64");
  return request(`${fapi}/oauth/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Basic ${basic}` },
    body: new URLSearchParams(params).toString(),
  });
}

async function exchange(fapi, client, verifier, code) {
  const res = await tokenCall(fapi, client, {
    grant_type: "authorization_code",
    code,
    redirect_uri: REDIRECT,
    code_verifier: verifier,
  });
  if (res.status !== 200) throw new Error(`code exchange: ${res.status} ${res.body}`);
  return JSON.parse(res.body).refresh_token;
}

/** `chains` signed-in browsers approve one client, then refresh back to back for `seconds`. */
export async function refreshChains(foyer, plat, instanceId, jars, { chains, seconds }) {
  await plat.call(`/instances/${instanceId}`, {
    method: "PATCH",
    json: { oauth_resources: [{ resource: RESOURCE, name: "Bench MCP", scopes: ["mcp:tools"] }] },
  });
  const client = await plat.call(`/instances/${instanceId}/oauth_applications`, {
    method: "POST",
    json: { name: "Bench client", redirect_uris: [REDIRECT] },
  });
  const fapi = `${foyer.publicUrl}/fapi/${instanceId}`;
  const tokens = [];
  for (const jar of jars.slice(0, chains)) tokens.push(await firstRefreshToken(fapi, client, jar));
  const latencies = [];
  let failures = 0;
  const before = cpuMs(foyer.pid);
  const started = performance.now();
  const until = started + seconds * 1000;
  await Promise.all(
    tokens.map(async (first) => {
      let token = first;
      while (performance.now() < until) {
        const t0 = performance.now();
        const res = await tokenCall(fapi, client, { grant_type: "refresh_token", refresh_token: token });
        if (res.status !== 200) {
          failures++;
          return;
        }
        token = JSON.parse(res.body).refresh_token;
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  if (failures > 0 || latencies.length === 0) throw new Error(`refresh chains: ${failures} failures`);
  latencies.sort((a, b) => a - b);
  return {
    rps: latencies.length / elapsed,
    total: latencies.length,
    chains: tokens.length,
    p50: latencies[Math.floor(latencies.length / 2)],
    p99: latencies[Math.floor(latencies.length * 0.99)],
    foyer_cpu_ms_per_request: (cpuMs(foyer.pid) - before) / latencies.length,
  };
}
