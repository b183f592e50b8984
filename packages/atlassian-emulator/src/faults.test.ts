import {
  APP,
  bearer,
  codeFor,
  DEMO_IDS,
  postToken,
  signIn,
  startTestEmulator,
} from "@foyer/testkit/emulator-client";
import { afterAll, beforeEach, describe, expect, it } from "vitest";

const running = await startTestEmulator();
afterAll(() => running.close());
beforeEach(() => running.control.reset());

const exchangeBody = (code: string) => ({
  grant_type: "authorization_code",
  client_id: APP.clientId,
  client_secret: APP.clientSecret,
  code,
  redirect_uri: APP.callbackUrl,
});

describe("fault switches", () => {
  it("token_5xx answers 503 with Retry-After and an HTML body, for count hits only", async () => {
    running.control.setFault("token_5xx", { count: 1, retryAfterSeconds: 7 });
    const code = await codeFor(running);
    const res = await postToken(running, exchangeBody(code));
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("7");
    expect(res.headers.get("content-type")).toContain("text/html");
    expect(running.control.counters().codeExchangeFailures).toBe(1);
    // The outage did not spend the code.
    expect((await postToken(running, exchangeBody(code))).status).toBe(200);
  });

  it("token_5xx stays on until cleared when set to true", async () => {
    running.control.setFault("token_5xx", true);
    expect((await postToken(running, exchangeBody("a"))).status).toBe(503);
    expect((await postToken(running, exchangeBody("b"))).status).toBe(503);
    running.control.clearFaults();
    expect((await postToken(running, exchangeBody("c"))).status).toBe(400);
  });

  it("token_hang holds the request until the fault is cleared", async () => {
    running.control.setFault("token_hang", true);
    const code = await codeFor(running);
    let settled = false;
    const pending = postToken(running, exchangeBody(code)).then((r) => {
      settled = true;
      return r;
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(settled).toBe(false);
    running.control.setFault("token_hang", false);
    expect((await pending).status).toBe(200);
  });

  it("token_hang: a client timeout gives up, and close() ends a hanging request at once", async () => {
    const other = await startTestEmulator();
    other.control.setFault("token_hang", true);
    const timedOut = await fetch(`${other.authUrl}/oauth/token`, {
      method: "POST",
      body: new URLSearchParams(exchangeBody("x")),
      signal: AbortSignal.timeout(200),
    }).catch((e: unknown) => e);
    expect(timedOut).toBeInstanceOf(Error);

    const hanging = postToken(other, exchangeBody("y")).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 100));
    const started = Date.now();
    await other.close();
    await hanging;
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("token_401_challenge answers 401 with WWW-Authenticate and no body, spending nothing", async () => {
    running.control.setFault("token_401_challenge", { count: 1 });
    const code = await codeFor(running);
    const res = await postToken(running, exchangeBody(code));
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toMatch(/^Basic realm="/);
    expect(await res.text()).toBe("");
    expect(running.control.counters().codeExchangeFailures).toBe(1);
    // One hit only, and the code survived it.
    expect((await postToken(running, exchangeBody(code))).status).toBe(200);
  });

  it("me_503 answers /me with 503", async () => {
    const tokens = await signIn(running);
    running.control.setFault("me_503", { count: 1, retryAfterSeconds: 3 });
    const res = await bearer(running, "/me", tokens.access_token);
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("3");
    expect((await bearer(running, "/me", tokens.access_token)).status).toBe(200);
  });

  it("api_429 answers API calls with 429 and rate-limit headers", async () => {
    const tokens = await signIn(running, { cloudId: DEMO_IDS.acme });
    running.control.setFault("api_429", { count: 2, retryAfterSeconds: 5 });
    const res = await bearer(running, `/ex/jira/${DEMO_IDS.acme}/rest/api/3/myself`, tokens.access_token);
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("5");
    expect(res.headers.get("x-ratelimit-remaining")).toBe("0");
    expect(res.headers.get("x-ratelimit-reset")).toBeTruthy();
    expect((await bearer(running, "/oauth/token/accessible-resources", tokens.access_token)).status).toBe(
      429,
    );
    expect((await bearer(running, "/oauth/token/accessible-resources", tokens.access_token)).status).toBe(
      200,
    );
  });
});
