/** The dashboard's Organizations tab: the instance's organizations with their sites and members. */
import { type DashboardClient, signInToDashboard } from "@foyer/testkit/dashboard-client";
import { DB_KINDS } from "@foyer/testkit/databases";
import { createTestFoyer, type TestFoyer } from "@foyer/testkit/harness";
import { createTestInstance, insertTestUser } from "@foyer/testkit/instances";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

describe.each(DB_KINDS)("dashboard organizations (%s)", (kind) => {
  let foyer: TestFoyer;
  let dash: DashboardClient;
  beforeAll(async () => {
    foyer = await createTestFoyer(kind);
    dash = await signInToDashboard(foyer);
  });
  afterAll(() => foyer.close());

  it("lists each organization with its members and roles, and none of another instance's", async () => {
    const t = await createTestInstance(foyer);
    const other = await createTestInstance(foyer);
    const path = `/dashboard/instances/${t.id}/organizations`;
    expect(await dash.html(path)).toContain("No organization yet.");
    const user = await insertTestUser(foyer, t.instance, { first_name: "Mina", last_name: "Org" });
    const res = await foyer.request("/v1/organizations", {
      method: "POST",
      headers: { authorization: `Bearer ${t.secretKey}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "Dash Team", created_by: user.id }),
    });
    const org = await res.json();
    const html = await dash.html(path);
    expect(html).toContain(">Dash Team</h2>");
    expect(html).toContain(`<code>${org.id}</code>`);
    expect(html).toContain("Mina Org");
    expect(html).toMatch(/<option value="org:admin" selected="">org:admin<\/option>/);
    expect(await dash.html(`/dashboard/instances/${other.id}/organizations`)).not.toContain("Dash Team");
  });
});
