/**
 * The dashboard's Organizations tab as forms: create, rename, delete; add a member by user id,
 * change a role, remove. The Backend API's rules and events, refusals in words on the form,
 * CSRF required, another instance's organizations and users out of reach, operator text escaped.
 */
import { type DashboardClient, signInToDashboard } from "@foyer/testkit/dashboard-client";
import { DB_KINDS } from "@foyer/testkit/databases";
import { createTestFoyer, type TestFoyer } from "@foyer/testkit/harness";
import { createTestInstance, insertTestUser, type TestInstance } from "@foyer/testkit/instances";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listEvents } from "../../events/outbox.js";

const XSS = "<img src=x onerror=alert(1)>";

describe.each(DB_KINDS)("dashboard organization writes (%s)", (kind) => {
  let foyer: TestFoyer;
  let t: TestInstance;
  let dash: DashboardClient;
  let tab: string;
  beforeAll(async () => {
    foyer = await createTestFoyer(kind);
    t = await createTestInstance(foyer);
    dash = await signInToDashboard(foyer);
    tab = `/dashboard/instances/${t.id}/organizations`;
  });
  afterAll(() => foyer?.close());

  const orgs = async (instanceId = t.id) =>
    (await (await foyer.platform(`/instances/${instanceId}/organizations?limit=100`)).json()).data as Array<{
      id: string;
      name: string;
      slug: string;
      members_count: number;
    }>;
  const members = async (orgId: string) =>
    (
      (await (await foyer.platform(`/instances/${t.id}/organizations/${orgId}/memberships`)).json())
        .data as Array<{
        role: string;
        public_user_data: { user_id: string };
      }>
    ).map((m) => [m.public_user_data.user_id, m.role]);
  const eventTypes = async () =>
    (await listEvents(foyer.svc.db.kysely, t.id, { limit: 1000 }))
      .reverse()
      .map((e) => e.type)
      .filter((type) => type.startsWith("organization"));

  it("creates an organization with a first admin, shows refusals on the form, and escapes names", async () => {
    const ada = await insertTestUser(foyer, t.instance, { first_name: "Ada" });
    const before = (await eventTypes()).length;
    const res = await dash.post(tab, { name: XSS, slug: "", created_by: ada.id });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toContain("notice=organization_created");
    const [org] = await orgs();
    expect(org).toMatchObject({ name: XSS, slug: "img-src-x-onerror-alert-1", members_count: 1 });
    expect(await members(org!.id)).toEqual([[ada.id, "org:admin"]]);
    expect((await eventTypes()).slice(before)).toEqual([
      "organization.created",
      "organizationMembership.created",
    ]);
    const html = await dash.html(`${tab}?notice=organization_created`);
    expect(html).toContain("Organization created.");
    expect(html).not.toContain(XSS);
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");

    for (const [fields, words] of [
      [{ name: "Taken", slug: org!.slug }, "slug"],
      [{ name: "Bad", slug: "Not A Slug" }, "a slug is"],
      [{ name: "Nobody", created_by: "user_nobody" }, "created_by names no user"],
      [{ name: "" }, "name"],
    ] as const) {
      const refused = await dash.post(tab, fields);
      expect(refused.status, JSON.stringify(fields)).toBe(422);
      const text = await refused.text();
      expect(text).toContain('role="alert"');
      expect(text.toLowerCase()).toContain(words.toLowerCase());
    }
    expect(await orgs()).toHaveLength(1);
  });

  it("renames and deletes, 404 for an organization of another instance", async () => {
    const other = await createTestInstance(foyer);
    const theirs = await (
      await foyer.platform(`/instances/${other.id}/organizations`, {
        method: "POST",
        json: { name: "Theirs" },
      })
    ).json();
    expect((await dash.post(`${tab}/${theirs.id}/rename`, { name: "Stolen" })).status).toBe(404);
    expect((await dash.post(`${tab}/${theirs.id}/delete`)).status).toBe(404);
    expect((await orgs(other.id)).map((o) => o.name)).toEqual(["Theirs"]);

    expect((await dash.post(tab, { name: "Before" })).status).toBe(303);
    const org = (await orgs()).find((o) => o.name === "Before")!;
    const renamed = await dash.post(`${tab}/${org.id}/rename`, { name: "After" });
    expect(renamed.headers.get("location")).toContain("notice=organization_renamed");
    expect((await orgs()).find((o) => o.id === org.id)!.name).toBe("After");
    const empty = await dash.post(`${tab}/${org.id}/rename`, { name: "" });
    expect(empty.status).toBe(422);
    const deleted = await dash.post(`${tab}/${org.id}/delete`);
    expect(deleted.headers.get("location")).toContain("notice=organization_deleted");
    expect((await orgs()).some((o) => o.id === org.id)).toBe(false);
  });

  it("adds a member by user id, changes the role, removes the member, with the events", async () => {
    expect((await dash.post(tab, { name: "Crew" })).status).toBe(303);
    const org = (await orgs()).find((o) => o.name === "Crew")!;
    const mina = await insertTestUser(foyer, t.instance, { first_name: "Mina" });
    const before = (await eventTypes()).length;
    const base = `${tab}/${org.id}/members`;
    expect((await dash.post(base, { user_id: mina.id, role: "org:member" })).status).toBe(303);
    expect(await members(org.id)).toEqual([[mina.id, "org:member"]]);
    const again = await dash.post(base, { user_id: mina.id, role: "org:member" });
    expect(again.status).toBe(422);
    expect(await again.text()).toContain(mina.id); // the typed id stays in the field
    const stranger = await insertTestUser(foyer, (await createTestInstance(foyer)).instance);
    const foreign = await dash.post(base, { user_id: stranger.id, role: "org:member" });
    expect(foreign.status).toBe(422);
    expect(await foreign.text()).toContain("user_id names no user of this instance");
    expect((await dash.post(base, { user_id: mina.id, role: "org:owner" })).status).toBe(422);
    const badRole = await dash.post(`${base}/role`, { user_id: mina.id, role: "org:owner" });
    expect(badRole.status).toBe(422);
    expect(await badRole.text()).toContain("must be org:admin or org:member");

    const role = await dash.post(`${base}/role`, { user_id: mina.id, role: "org:admin" });
    expect(role.headers.get("location")).toContain("notice=member_role_changed");
    expect(await members(org.id)).toEqual([[mina.id, "org:admin"]]);
    expect(await dash.html(tab)).toMatch(/<option value="org:admin" selected="">org:admin<\/option>/);
    const removed = await dash.post(`${base}/remove`, { user_id: mina.id });
    expect(removed.headers.get("location")).toContain("notice=member_removed");
    expect(await members(org.id)).toEqual([]);
    expect((await dash.post(`${base}/remove`, { user_id: mina.id })).status).toBe(404);
    expect((await eventTypes()).slice(before)).toEqual([
      "organizationMembership.created",
      "organizationMembership.updated",
      "organizationMembership.deleted",
    ]);
  });

  it("refuses every write without the CSRF token and changes nothing", async () => {
    expect((await dash.post(tab, { name: "Guarded" })).status).toBe(303);
    const org = (await orgs()).find((o) => o.name === "Guarded")!;
    const user = await insertTestUser(foyer, t.instance);
    const before = await eventTypes();
    for (const [path, fields] of [
      [tab, { name: "Forged" }],
      [`${tab}/${org.id}/rename`, { name: "Forged" }],
      [`${tab}/${org.id}/delete`, {}],
      [`${tab}/${org.id}/members`, { user_id: user.id, role: "org:admin" }],
    ] as const) {
      for (const csrf of [null, "forged"]) {
        const res = await dash.post(path, fields, { csrf });
        expect(res.status, `${path} ${csrf}`).toBe(403);
      }
    }
    expect((await orgs()).find((o) => o.id === org.id)!.name).toBe("Guarded");
    expect(await eventTypes()).toEqual(before);
  });
});
