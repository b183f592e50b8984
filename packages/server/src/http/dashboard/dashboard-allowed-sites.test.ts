/**
 * The dashboard's allow-list of Atlassian sites: added and removed on the settings page,
 * validated and normalised as the Platform API does, refused in words.
 */
import { type DashboardClient, signInToDashboard } from "@foyer/testkit/dashboard-client";
import { DB_KINDS } from "@foyer/testkit/databases";
import { createTestFoyer, type TestFoyer } from "@foyer/testkit/harness";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

describe.each(DB_KINDS)("dashboard allowed Atlassian sites (%s)", (kind) => {
  let foyer: TestFoyer;
  let dash: DashboardClient;
  beforeAll(async () => {
    foyer = await createTestFoyer(kind);
    dash = await signInToDashboard(foyer);
  });
  afterAll(() => foyer.close());

  it("adds a site normalised, refuses a bad one by name, and removes one", async () => {
    const app = await (
      await foyer.platform("/applications", { method: "POST", json: { name: "Sites" } })
    ).json();
    const id = app.instances[0].id as string;
    const base = `/dashboard/instances/${id}`;
    const sites = async () =>
      (await (await foyer.platform(`/instances/${id}`)).json()).allowed_atlassian_sites;
    expect(await dash.html(`${base}/settings`)).toContain("Every site may sign in.");

    const added = await dash.post(`${base}/atlassian_sites`, { site: "Acme.atlassian.net" });
    expect(added.headers.get("location")).toBe(`${base}/settings?notice=atlassian_site_added`);
    expect(await sites()).toEqual(["https://acme.atlassian.net"]);
    expect(await dash.html(`${base}/settings`)).toContain(
      '<code class="wrap">https://acme.atlassian.net</code>',
    );

    const bad = await dash.post(`${base}/atlassian_sites`, { site: "https://acme.atlassian.net/jira" });
    expect(bad.status).toBe(422);
    const html = await bad.text();
    expect(html).toContain('id="site-error"');
    expect(html).toContain("neither an Atlassian cloud id");
    expect(await sites()).toEqual(["https://acme.atlassian.net"]);

    const removed = await dash.post(`${base}/atlassian_sites/remove`, { site: "https://acme.atlassian.net" });
    expect(removed.headers.get("location")).toBe(`${base}/settings?notice=atlassian_site_removed`);
    expect(await sites()).toEqual([]);
  });

  it("switches organizations from sites on and off, refusing other values", async () => {
    const app = await (
      await foyer.platform("/applications", { method: "POST", json: { name: "Orgs" } })
    ).json();
    const id = app.instances[0].id as string;
    const base = `/dashboard/instances/${id}`;
    const mode = async () =>
      (await (await foyer.platform(`/instances/${id}`)).json()).organizations_from_sites;
    expect(await dash.html(`${base}/settings`)).toContain('<option value="off" selected="">');
    const on = await dash.post(`${base}/organizations_from_sites`, { organizations_from_sites: "auto" });
    expect(on.headers.get("location")).toBe(`${base}/settings?notice=organizations_from_sites_saved`);
    expect(await mode()).toBe("auto");
    expect(await dash.html(`${base}/settings`)).toContain('<option value="auto" selected="">');
    const bad = await dash.post(`${base}/organizations_from_sites`, {
      organizations_from_sites: "sometimes",
    });
    expect(bad.status).toBe(422);
    expect(await bad.text()).toContain("must be off or auto");
    expect(await mode()).toBe("auto");
  });
});
