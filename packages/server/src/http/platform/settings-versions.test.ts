/**
 * Settings save with a version: GET answers an ETag, a PATCH whose If-Match is stale gets 412
 * `resource_version_conflict` and writes nothing, and two saves at once never leave the Client ID
 * of one with the Secret of the other. PATCH without If-Match keeps working.
 */
import { type DashboardClient, signInToDashboard, unescapeHtml } from "@foyer/testkit/dashboard-client";
import { DB_KINDS } from "@foyer/testkit/databases";
import { createTestFoyer, type TestFoyer } from "@foyer/testkit/harness";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

describe.each(DB_KINDS)("settings versions (%s)", (kind) => {
  let foyer: TestFoyer;
  let dash: DashboardClient;
  beforeAll(async () => {
    foyer = await createTestFoyer(kind);
    dash = await signInToDashboard(foyer);
  });
  afterAll(() => foyer.close());

  async function production(): Promise<string> {
    const app = await (
      await foyer.platform("/applications", { method: "POST", json: { name: "Versions" } })
    ).json();
    const res = await foyer.platform(`/applications/${app.id}/instances`, {
      method: "POST",
      json: { environment: "production", frontend_api_url: `https://clerk.v${Date.now()}.example` },
    });
    return (await res.json()).id;
  }

  const connectionPath = (id: string) => `/instances/${id}/social_connections/atlassian`;
  const patch = (path: string, json: unknown, ifMatch?: string) =>
    foyer.platform(path, { method: "PATCH", json, headers: ifMatch ? { "if-match": ifMatch } : {} });

  async function storedCredentials(instanceId: string) {
    const row = await foyer.svc.db.kysely
      .selectFrom("social_connections")
      .selectAll()
      .where("instance_id", "=", instanceId)
      .executeTakeFirstOrThrow();
    const secret = row.client_secret_enc
      ? foyer.svc.keyring.decrypt(
          row.client_secret_enc,
          `social_connections:${instanceId}:oauth_atlassian:client_secret`,
        )
      : null;
    return { clientId: row.client_id, secret, version: row.version };
  }

  it("answers an ETag and refuses a stale If-Match with 412, writing nothing", async () => {
    const id = await production();
    const read = await foyer.platform(connectionPath(id));
    const etag = read.headers.get("etag")!;
    expect(etag).toBe('"0"');

    const saved = await patch(
      connectionPath(id),
      { client_id: "first", client_secret: "first-secret" },
      etag,
    );
    expect(saved.status).toBe(200);
    const next = saved.headers.get("etag")!;
    expect(next).toBe('"1"');
    expect((await foyer.platform(connectionPath(id))).headers.get("etag")).toBe(next);

    const stale = await patch(
      connectionPath(id),
      { client_id: "second", client_secret: "second-secret" },
      etag,
    );
    expect(stale.status).toBe(412);
    expect((await stale.json()).errors[0].code).toBe("resource_version_conflict");
    expect(await storedCredentials(id)).toEqual({ clientId: "first", secret: "first-secret", version: 1 });

    for (const bad of ['W/"1"', "1", '"1", "2"']) {
      expect((await patch(connectionPath(id), { client_id: "x" }, bad)).status, bad).toBe(412);
    }
    // Without If-Match (documented): applied to the current version.
    const blind = await patch(connectionPath(id), { client_id: "blind" });
    expect(blind.status).toBe(200);
    expect(blind.headers.get("etag")).toBe('"2"');
    expect((await patch(connectionPath(id), { client_id: "any" }, "*")).status).toBe(200);
  });

  it("lets exactly one of two concurrent saves with the same If-Match win, never mixing them", async () => {
    for (let round = 0; round < 3; round++) {
      const id = await production();
      // Round 0 races the first save (an insert), the others an update of a stored row.
      if (round > 0) await patch(connectionPath(id), { client_id: "start", client_secret: "start-secret" });
      const etag = (await foyer.platform(connectionPath(id))).headers.get("etag")!;
      const saves = ["alice", "bob"].map((who) =>
        patch(connectionPath(id), { client_id: `${who}-id`, client_secret: `${who}-secret` }, etag),
      );
      const statuses = (await Promise.all(saves)).map((r) => r.status).sort();
      expect(statuses).toEqual([200, 412]);
      const stored = await storedCredentials(id);
      const version = round > 0 ? 2 : 1;
      expect([
        { clientId: "alice-id", secret: "alice-secret", version },
        { clientId: "bob-id", secret: "bob-secret", version },
      ]).toContainEqual(stored);
    }
  });

  it("applies concurrent saves without If-Match one after the other, each whole", async () => {
    const id = await production();
    await patch(connectionPath(id), { client_id: "start", client_secret: "start-secret" });
    const saves = [
      patch(connectionPath(id), { client_id: "carol-id" }),
      patch(connectionPath(id), { client_secret: "dave-secret" }),
    ];
    expect((await Promise.all(saves)).map((r) => r.status)).toEqual([200, 200]);
    // Neither save was lost on top of the other: each re-applied on the state that won.
    expect(await storedCredentials(id)).toEqual({ clientId: "carol-id", secret: "dave-secret", version: 3 });
  });

  it("versions the instance settings the same way", async () => {
    const id = await production();
    const read = await foyer.platform(`/instances/${id}`);
    const etag = read.headers.get("etag")!;
    expect(etag).toBe('"1"');
    const saved = await patch(`/instances/${id}`, { session_max_lifetime_seconds: 3600 }, etag);
    expect(saved.status).toBe(200);
    expect(saved.headers.get("etag")).toBe('"2"');
    const stale = await patch(`/instances/${id}`, { session_max_lifetime_seconds: 7200 }, etag);
    expect(stale.status).toBe(412);
    expect((await (await foyer.platform(`/instances/${id}`)).json()).session_max_lifetime_seconds).toBe(3600);

    const both = await Promise.all(
      [600, 900].map((s) => patch(`/instances/${id}`, { session_max_lifetime_seconds: s }, '"2"')),
    );
    expect(both.map((r) => r.status).sort()).toEqual([200, 412]);
  });

  it("tells the dashboard operator in words when someone else saved the connection meanwhile", async () => {
    const id = await production();
    const formPath = `/dashboard/instances/${id}/sso/atlassian`;
    const form = await dash.html(formPath);
    const version = /name="version" value="(\d+)"/.exec(form)?.[1];
    expect(version).toBe("0");
    // Another operator saves through the API while this form is open.
    await patch(connectionPath(id), { client_id: "theirs", client_secret: "their-secret" });

    const mine = await dash.post(formPath, {
      version: version!,
      client_id: "mine",
      client_secret: "my-secret",
    });
    expect(mine.status).toBe(409);
    const page = unescapeHtml(await mine.text());
    expect(page).toContain(
      "Someone else saved this connection while you were editing; reload to see their change",
    );
    // The form keeps the stale version: saving again without a reload is refused again.
    expect(page).toContain('name="version" value="0"');
    expect(await storedCredentials(id)).toEqual({ clientId: "theirs", secret: "their-secret", version: 1 });

    const reloaded = /name="version" value="(\d+)"/.exec(await dash.html(formPath))?.[1];
    expect(reloaded).toBe("1");
    const again = await dash.post(formPath, {
      version: reloaded!,
      client_id: "mine",
      client_secret: "my-secret",
    });
    expect(again.status).toBe(303);
    expect(await storedCredentials(id)).toEqual({ clientId: "mine", secret: "my-secret", version: 2 });
  });
});
