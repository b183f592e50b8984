/**
 * Each event type is written by the real flow that causes it, with `data` in the Backend API's
 * JSON: sign-up and sign-in through the emulator, the Backend API's user changes, sign-out,
 * revocation, a grant Atlassian killed, a new site, new scopes, a site lost, a reconnect.
 */
import { DEMO_IDS } from "@foyer/atlassian-emulator";
import type { WebhookEventJSON } from "@foyer/contract";
import { DB_KINDS } from "@foyer/testkit/databases";
import {
  browserRequest,
  CookieJar,
  consentAt,
  createEmulatedFoyer,
  type EmulatedFoyer,
  SHARED_CLIENT_ID,
  signInFlow,
} from "@foyer/testkit/emulated-foyer";
import { createTestInstance } from "@foyer/testkit/instances";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { keepGrantsAlive } from "../tokens/grant-health-jobs.js";
import { FORCED_REUSE_MS } from "../tokens/stored-token.js";
import { listEvents } from "./outbox.js";

describe.each(DB_KINDS)("events from the real flows (%s)", (kind) => {
  let foyer: EmulatedFoyer;
  let instanceId: string;
  let secretKey: string;
  const app = "https://app.example.com";
  const jar = new CookieJar();
  let seen = 0;

  beforeAll(async () => {
    foyer = await createEmulatedFoyer(kind);
    ({ id: instanceId, secretKey } = await createTestInstance(foyer));
    await foyer.platform(`/instances/${instanceId}`, { method: "PATCH", json: { allowed_origins: [app] } });
  });
  afterAll(() => foyer?.close());

  /** The events written since the last call, oldest first. */
  async function newEvents(): Promise<WebhookEventJSON[]> {
    const all = (await listEvents(foyer.svc.db.kysely, instanceId, { limit: 1000 })).reverse();
    const fresh = all.slice(seen);
    seen = all.length;
    return fresh;
  }
  const types = (events: WebhookEventJSON[]) => events.map((e) => e.type).sort();
  const backend = (path: string, init: RequestInit & { json?: unknown } = {}) =>
    foyer.request(`/v1${path}`, {
      ...init,
      headers: { authorization: `Bearer ${secretKey}`, ...(init.headers as Record<string, string>) },
    });
  const sessionIdOf = async () =>
    (await (await browserRequest(foyer, jar, `/fapi/${instanceId}/v1/client`)).json()).response.sessions[0]
      .id as string;

  let userId: string;

  it("sign-up: user.created with its external account, external_account.created, session.created", async () => {
    await signInFlow(foyer, jar, instanceId, { accountId: DEMO_IDS.ada, cloudId: DEMO_IDS.acme });
    const events = await newEvents();
    expect(types(events)).toEqual(["external_account.created", "session.created", "user.created"]);
    const created = events.find((e) => e.type === "user.created")!;
    userId = (created.data as { id: string }).id;
    expect(created).toMatchObject({
      object: "event",
      instance_id: instanceId,
      timestamp: expect.any(Number),
    });
    expect(created.id).toMatch(/^evt_/);
    // The same JSON as GET /v1/users/{id}, apart from what changed since.
    const user = await (await backend(`/users/${userId}`)).json();
    expect(created.data).toEqual({
      ...user,
      last_sign_in_at: null,
      updated_at: (created.data as { updated_at: number }).updated_at,
    });
    expect(JSON.stringify(events)).not.toMatch(/token_enc|access_token"|refresh_token/);
    const session = events.find((e) => e.type === "session.created")!;
    expect(session.data).toMatchObject({ object: "session", user_id: userId, status: "active" });
  });

  it("user.updated from the Backend API, nothing for a refused update", async () => {
    expect(
      (await backend(`/users/${userId}`, { method: "PATCH", json: { first_name: "Augusta" } })).status,
    ).toBe(200);
    const [updated, ...rest] = await newEvents();
    expect(rest).toEqual([]);
    expect(updated).toMatchObject({ type: "user.updated", data: { id: userId, first_name: "Augusta" } });
    const refused = await backend(`/users/${userId}`, { method: "PATCH", json: { nonsense: 1 } });
    expect(refused.status).toBe(422);
    expect(await newEvents()).toEqual([]);
    await backend(`/users/${userId}/metadata`, {
      method: "PATCH",
      json: { public_metadata: { plan: "pro" } },
    });
    expect(await newEvents()).toMatchObject([
      { type: "user.updated", data: { public_metadata: { plan: "pro" } } },
    ]);
  });

  it("connect with a new site and a new scope: site_added, scopes_changed, external_account.updated", async () => {
    const res = await browserRequest(foyer, jar, `/fapi/${instanceId}/v1/me/external_accounts`, {
      method: "POST",
      json: {
        strategy: "oauth_atlassian",
        redirect_url: `${app}/settings`,
        additional_scopes: ["read:jira-work"],
      },
    });
    const url = (await res.json()).response.verification.external_verification_redirect_url as string;
    await browserRequest(
      foyer,
      jar,
      await consentAt(foyer, url, { accountId: DEMO_IDS.ada, cloudId: DEMO_IDS.globex }),
    );
    const events = await newEvents();
    expect(types(events)).toEqual([
      "external_account.scopes_changed",
      "external_account.site_added",
      "external_account.updated",
    ]);
    expect(events.find((e) => e.type === "external_account.site_added")!.data).toMatchObject({
      object: "external_account",
      user_id: userId,
      site_ids: [DEMO_IDS.globex],
    });
    const scopes = events.find((e) => e.type === "external_account.scopes_changed")!.data as {
      approved_scopes: string;
      previous_scopes: string;
    };
    expect(scopes.approved_scopes).toContain("read:jira-work");
    expect(scopes.previous_scopes).not.toContain("read:jira-work");
  });

  it("a site lost at a refresh: site_lost", async () => {
    foyer.emulator.control.removeSite(DEMO_IDS.globex);
    foyer.advance(FORCED_REUSE_MS);
    const res = await backend(`/users/${userId}/oauth_access_tokens/oauth_atlassian/refresh`, {
      method: "POST",
    });
    expect(res.status).toBe(200);
    expect(await newEvents()).toMatchObject([
      { type: "external_account.site_lost", data: { site_ids: [DEMO_IDS.globex] } },
    ]);
  });

  it("a grant killed at Atlassian: reauthorization_required with the reason; a reconnect: reactivated", async () => {
    foyer.emulator.control.revokeGrant(SHARED_CLIENT_ID, DEMO_IDS.ada);
    foyer.advance(FORCED_REUSE_MS);
    const res = await backend(`/users/${userId}/oauth_access_tokens/oauth_atlassian/refresh`, {
      method: "POST",
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(await newEvents()).toMatchObject([
      {
        type: "external_account.reauthorization_required",
        data: { status: "reauthorization_required", reauthorization_reason: "revoked", user_id: userId },
      },
    ]);

    const again = await browserRequest(foyer, jar, `/fapi/${instanceId}/v1/me/external_accounts`, {
      method: "POST",
      json: { strategy: "oauth_atlassian", redirect_url: `${app}/settings` },
    });
    const url = (await again.json()).response.verification.external_verification_redirect_url as string;
    await browserRequest(
      foyer,
      jar,
      await consentAt(foyer, url, { accountId: DEMO_IDS.ada, cloudId: DEMO_IDS.acme }),
    );
    const events = await newEvents();
    expect(types(events)).toContain("external_account.reactivated");
    expect(events.find((e) => e.type === "external_account.reactivated")!.data).toMatchObject({
      status: "active",
    });
  });

  it("keep-alive finding a revoked grant: reauthorization_required before the user returns", async () => {
    foyer.emulator.control.revokeGrant(SHARED_CLIENT_ID, DEMO_IDS.ada);
    foyer.advance(foyer.svc.config.atlassian.keepAliveMs + 1);
    expect(await keepGrantsAlive(foyer.svc)).toMatchObject({ failed: 1 });
    expect(await newEvents()).toMatchObject([
      { type: "external_account.reauthorization_required", data: { reauthorization_reason: "revoked" } },
    ]);
    // A month later the session is over: the user signs in again, which reactivates the grant.
    await signInFlow(foyer, jar, instanceId, { accountId: DEMO_IDS.ada, cloudId: DEMO_IDS.acme });
    expect(types(await newEvents())).toContain("external_account.reactivated");
  });

  it("sign-out: session.ended; revocation: session.revoked; ban: user.updated and session.revoked", async () => {
    const sid = await sessionIdOf();
    const end = await browserRequest(foyer, jar, `/fapi/${instanceId}/v1/client/sessions/${sid}/end`, {
      method: "POST",
      headers: { origin: app },
    });
    expect(end.status).toBe(200);
    expect(await newEvents()).toMatchObject([{ type: "session.ended", data: { id: sid, status: "ended" } }]);
    // Ending it again changes nothing, so tells nothing.
    await browserRequest(foyer, jar, `/fapi/${instanceId}/v1/client/sessions/${sid}/end`, {
      method: "POST",
      headers: { origin: app },
    });
    expect(await newEvents()).toEqual([]);

    await signInFlow(foyer, jar, instanceId, { accountId: DEMO_IDS.ada, cloudId: DEMO_IDS.acme });
    await newEvents();
    const sid2 = await sessionIdOf();
    expect((await backend(`/sessions/${sid2}/revoke`, { method: "POST" })).status).toBe(200);
    expect(await newEvents()).toMatchObject([
      { type: "session.revoked", data: { id: sid2, status: "revoked" } },
    ]);

    await signInFlow(foyer, jar, instanceId, { accountId: DEMO_IDS.ada, cloudId: DEMO_IDS.acme });
    await newEvents();
    const sid3 = await sessionIdOf();
    expect((await backend(`/users/${userId}/ban`, { method: "POST" })).status).toBe(200);
    const ban = await newEvents();
    expect(types(ban)).toEqual(["session.revoked", "user.updated"]);
    expect(ban.find((e) => e.type === "session.revoked")!.data).toMatchObject({ id: sid3 });
    expect(ban.find((e) => e.type === "user.updated")!.data).toMatchObject({ banned: true });
  });

  it("unlinking: external_account.deleted and user.updated; deletion: user.deleted", async () => {
    const user = await (await backend(`/users/${userId}`)).json();
    const eac = user.external_accounts[0].id as string;
    expect((await backend(`/users/${userId}/external_accounts/${eac}`, { method: "DELETE" })).status).toBe(
      200,
    );
    const unlinked = await newEvents();
    expect(types(unlinked)).toEqual(["external_account.deleted", "user.updated"]);
    expect(unlinked[0]!.data).toEqual({
      object: "external_account",
      id: eac,
      deleted: true,
      user_id: userId,
    });

    expect((await backend(`/users/${userId}`, { method: "DELETE" })).status).toBe(200);
    expect(await newEvents()).toMatchObject([
      { type: "user.deleted", data: { object: "user", id: userId, deleted: true } },
    ]);
  });
});
