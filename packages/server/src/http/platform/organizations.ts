/**
 * The Platform API's view of an instance's organizations, for the operator and the dashboard:
 * the list and one organization's members. Changes go through the Backend API (the app's
 * secret key), as Clerk's do.
 */
import { Hono } from "hono";
import { getInstance } from "../../instances/instances.js";
import { listOrganizationMemberships } from "../../organizations/memberships.js";
import { organizationJson } from "../../organizations/organization-json.js";
import {
  organizationListQuerySchema,
  pageQuerySchema,
  parseQuery,
} from "../../organizations/organization-params.js";
import { getOrganization, listOrganizations } from "../../organizations/organizations.js";
import type { Services } from "../../services.js";

export function platformOrganizationRoutes(svc: Services): Hono {
  const r = new Hono();
  const query = (url: string) => new URL(url).searchParams;

  r.get("/:id/organizations", async (c) => {
    const instance = await getInstance(svc, c.req.param("id"));
    const q = parseQuery(organizationListQuerySchema, query(c.req.url));
    const { rows, total } = await listOrganizations(svc, instance.id, q);
    return c.json({ data: rows.map(organizationJson), total_count: total });
  });

  r.get("/:id/organizations/:org/memberships", async (c) => {
    const instance = await getInstance(svc, c.req.param("id"));
    const org = await getOrganization(svc, instance.id, c.req.param("org"));
    const page = parseQuery(pageQuerySchema, query(c.req.url));
    return c.json(await listOrganizationMemberships(svc, instance.id, org.id, page));
  });

  return r;
}
