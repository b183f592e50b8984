import type { Hono } from "hono";
import { listOrganizationMemberships } from "../../organizations/memberships.js";
import { organizationJson } from "../../organizations/organization-json.js";
import { listOrganizations } from "../../organizations/organizations.js";
import type { Services } from "../../services.js";
import type { DashboardEnv } from "./guard.js";
import { loadInstanceContext } from "./instance-context.js";
import { render } from "./render.js";
import { OrganizationsPage } from "./views/organizations.js";

const SHOWN = 50;

/** The Organizations tab: the newest organizations of the instance and their members, read only. */
export function organizationRoutes(r: Hono<DashboardEnv>, svc: Services): void {
  r.get("/instances/:id/organizations", async (c) => {
    const ctx = await loadInstanceContext(svc, c.req.param("id"));
    const { rows, total } = await listOrganizations(svc, ctx.instance.id, { limit: SHOWN, offset: 0 });
    const organizations = await Promise.all(
      rows.map(async (row) => ({
        organization: organizationJson(row),
        members: (await listOrganizationMemberships(svc, ctx.instance.id, row.id, { limit: 100, offset: 0 }))
          .data,
      })),
    );
    return render(
      c,
      <OrganizationsPage ctx={ctx} csrf={c.get("dashboard").csrfToken} data={{ organizations, total }} />,
    );
  });
}
