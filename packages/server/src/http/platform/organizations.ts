/**
 * The Platform API's organizations of an instance, for the operator and the dashboard: the
 * same domain functions, events and answers as the Backend API's `/v1/organizations` routes,
 * addressed by instance id instead of a secret key (creations answer 201, as the Platform API
 * does elsewhere).
 */
import { Hono } from "hono";
import { getInstance } from "../../instances/instances.js";
import {
  createMembership,
  deleteMembership,
  listOrganizationMemberships,
  updateMembershipRole,
} from "../../organizations/memberships.js";
import { organizationJson } from "../../organizations/organization-json.js";
import {
  createMembershipBody,
  createOrganizationBody,
  newOrganizationFrom,
  organizationListQuerySchema,
  pageQuerySchema,
  parseQuery,
  updateMembershipBody,
  updateOrganizationBody,
} from "../../organizations/organization-params.js";
import {
  createOrganization,
  deleteOrganization,
  getOrganization,
  listOrganizations,
  updateOrganization,
} from "../../organizations/organizations.js";
import { siteBackfillStatus } from "../../organizations/site-backfill.js";
import type { Services } from "../../services.js";
import { readBody } from "../body.js";

export function platformOrganizationRoutes(svc: Services): Hono {
  const r = new Hono();
  const query = (url: string) => new URL(url).searchParams;
  const base = "/:id/organizations";
  const instanceOf = async (id: string) => (await getInstance(svc, id)).id;

  r.get(base, async (c) => {
    const instanceId = await instanceOf(c.req.param("id"));
    const q = parseQuery(organizationListQuerySchema, query(c.req.url));
    const { rows, total } = await listOrganizations(svc, instanceId, q);
    return c.json({ data: rows.map(organizationJson), total_count: total });
  });

  r.post(base, async (c) => {
    const instanceId = await instanceOf(c.req.param("id"));
    const body = await readBody(c, createOrganizationBody);
    const id = await createOrganization(svc, instanceId, newOrganizationFrom(body));
    return c.json(organizationJson(await getOrganization(svc, instanceId, id)), 201);
  });

  r.get(`${base}/:org`, async (c) => {
    const instanceId = await instanceOf(c.req.param("id"));
    return c.json(organizationJson(await getOrganization(svc, instanceId, c.req.param("org"))));
  });

  r.patch(`${base}/:org`, async (c) => {
    const instanceId = await instanceOf(c.req.param("id"));
    const org = await getOrganization(svc, instanceId, c.req.param("org"));
    await updateOrganization(svc, org, await readBody(c, updateOrganizationBody));
    return c.json(organizationJson(await getOrganization(svc, instanceId, org.id)));
  });

  r.delete(`${base}/:org`, async (c) => {
    const instanceId = await instanceOf(c.req.param("id"));
    const org = await getOrganization(svc, instanceId, c.req.param("org"));
    await deleteOrganization(svc, instanceId, org.id);
    return c.json({ object: "organization", id: org.id, deleted: true });
  });

  r.get(`${base}/:org/memberships`, async (c) => {
    const instanceId = await instanceOf(c.req.param("id"));
    const org = await getOrganization(svc, instanceId, c.req.param("org"));
    const page = parseQuery(pageQuerySchema, query(c.req.url));
    return c.json(await listOrganizationMemberships(svc, instanceId, org.id, page));
  });

  r.post(`${base}/:org/memberships`, async (c) => {
    const org = await getOrganization(svc, await instanceOf(c.req.param("id")), c.req.param("org"));
    return c.json(await createMembership(svc, org, await readBody(c, createMembershipBody)), 201);
  });

  r.patch(`${base}/:org/memberships/:userId`, async (c) => {
    const org = await getOrganization(svc, await instanceOf(c.req.param("id")), c.req.param("org"));
    const { role } = await readBody(c, updateMembershipBody);
    return c.json(await updateMembershipRole(svc, org, c.req.param("userId"), role));
  });

  r.delete(`${base}/:org/memberships/:userId`, async (c) => {
    const org = await getOrganization(svc, await instanceOf(c.req.param("id")), c.req.param("org"));
    return c.json(await deleteMembership(svc, org, c.req.param("userId")));
  });

  r.get("/:id/site_organization_backfill", async (c) =>
    c.json(await siteBackfillStatus(svc, await instanceOf(c.req.param("id")))),
  );

  return r;
}
