import { DEMO_IDS } from "@foyer/atlassian-emulator";
import { DB_KINDS } from "@foyer/testkit/databases";
import {
  browserRequest,
  CookieJar,
  consentAt,
  createEmulatedFoyer,
  type EmulatedFoyer,
  startSignIn,
} from "@foyer/testkit/emulated-foyer";
import { createTestInstance } from "@foyer/testkit/instances";
import { startWebhookReceiver } from "@foyer/testkit/webhook-receiver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWebhookDelivery } from "../events/delivery-worker.js";

/**
 * SECURITY: nothing secret in logs. One whole journey at the most verbose log level (custom
 * credentials, a webhook endpoint and its rotated secret, sign-in, session token, Atlassian token
 * fetch, refresh, sign-out, webhook deliveries that fail and succeed), collecting
 * every secret it meets; then none of them may appear anywhere in the logs.
 */
describe.each(DB_KINDS)("No secret reaches the logs (%s)", (kind) => {
  let foyer: EmulatedFoyer;
  const secrets = new Map<string, string>();
  const keep = (what: string, value: string | null | undefined) => {
    if (value && value.length >= 8) secrets.set(value, what);
  };

  beforeAll(async () => {
    foyer = await createEmulatedFoyer(kind, { env: { LOG_LEVEL: "trace" } });
  });
  afterAll(() => foyer.close());

  it("runs a full journey", async () => {
    keep("platform token", foyer.platformToken);
    keep("encryption key", foyer.encryptionKey);
    const instance = await createTestInstance(foyer, { name: "Secretive" });
    keep("secret key", instance.secretKey);
    const clientSecret = "custom-client-secret-0123456789";
    keep("client secret", clientSecret);
    foyer.emulator.control.upsertApp({
      clientId: "secretive-client",
      clientSecret,
      name: "Secretive",
      callbackUrl: `${foyer.svc.config.publicUrl}/fapi/${instance.id}/v1/oauth_callback`,
      scopes: ["read:me", "read:jira-user"],
      shared: true,
    });
    const patch = await foyer.platform(`/instances/${instance.id}/social_connections/atlassian`, {
      method: "PATCH",
      json: {
        enabled: true,
        use_custom_credentials: true,
        client_id: "secretive-client",
        client_secret: clientSecret,
      },
    });
    expect(patch.status).toBe(200);

    const receiver = await startWebhookReceiver();
    const endpoint = await (
      await foyer.platform(`/instances/${instance.id}/webhook_endpoints`, {
        method: "POST",
        json: { url: receiver.url },
      })
    ).json();
    keep("webhook secret", endpoint.secret);
    const rotated = await foyer.platform(
      `/instances/${instance.id}/webhook_endpoints/${endpoint.id}/rotate_secret`,
      {
        method: "POST",
        json: {},
      },
    );
    keep("rotated webhook secret", (await rotated.json()).secret);

    const jar = new CookieJar();
    const authorizeUrl = await startSignIn(foyer, jar, instance.id);
    // The binding cookie is cleared at the callback: keep its value before.
    const binding = [...jar.all()].find(([name]) => name.startsWith("foyer_oauth_"))?.[1];
    expect(binding).toMatch(/^[A-Za-z0-9_-]{43}$/);
    keep("browser binding", binding);
    const callbackUrl = await consentAt(foyer, authorizeUrl, {
      accountId: DEMO_IDS.ada,
      cloudId: DEMO_IDS.acme,
    });
    await browserRequest(foyer, jar, callbackUrl);
    const flow = { authorizeUrl, callbackUrl };
    const callback = new URL(flow.callbackUrl);
    keep("authorization code", callback.searchParams.get("code"));
    keep("state", callback.searchParams.get("state"));
    keep("code challenge", new URL(flow.authorizeUrl).searchParams.get("code_challenge"));
    keep("client cookie", jar.get("__client"));

    const client = await (await browserRequest(foyer, jar, `/fapi/${instance.id}/v1/client`)).json();
    const sid = client.response.sessions[0].id as string;
    const userId = client.response.sessions[0].user.id as string;
    const minted = await browserRequest(foyer, jar, `/fapi/${instance.id}/v1/client/sessions/${sid}/tokens`, {
      method: "POST",
    });
    keep("session token", (await minted.json()).jwt);

    const tokenUrl = `/v1/users/${userId}/oauth_access_tokens/oauth_atlassian`;
    const auth = { authorization: `Bearer ${instance.secretKey}` };
    const first = await (await foyer.request(tokenUrl, { headers: auth })).json();
    keep("access token", first[0].token);
    // Expire it, so the next fetch refreshes (and rotates the refresh token).
    await foyer.svc.db.kysely.updateTable("external_accounts").set({ access_token_expires_at: 0 }).execute();
    const second = await (await foyer.request(tokenUrl, { headers: auth })).json();
    keep("refreshed access token", second[0].token);

    await browserRequest(foyer, jar, `/fapi/${instance.id}/v1/client`, { method: "DELETE" });

    // Deliveries: the first pass refused (logged as a failure), the retry accepted.
    const worker = startWebhookDelivery(foyer.svc, { timers: false, random: () => 0.5 });
    receiver.answer(500, "receiver says no");
    await worker.runOnce();
    receiver.answer(200);
    foyer.advance(10_000);
    await worker.runOnce();
    await worker.stop();
    await receiver.close();
    expect(receiver.received.length).toBeGreaterThan(0);
    for (const hit of receiver.received) keep("webhook signature", String(hit.headers["webhook-signature"]));
    expect(secrets.size).toBeGreaterThanOrEqual(15);

    const logs = foyer.logs();
    expect(logs.length).toBeGreaterThan(1000);
    for (const [value, what] of secrets) {
      expect(logs.includes(value), `${what} appears in the logs`).toBe(false);
    }
  });
});
