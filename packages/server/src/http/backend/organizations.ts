/**
 * Backend API organizations and memberships, in Clerk's paths and shapes (what
 * `@clerk/backend`'s `organizations.*` and `users.getOrganizationMembershipList` call):
 * lists answer `{ data, total_count }`; an organization is addressed by id or slug; a
 * membership by organization and user id. Every lookup is scoped to the secret key's instance.
 */
import { Hono } from "hono";
import { ApiError } from "../../errors/api-error.js";
import {
  createMembership,
  deleteMembership,
  listOrganizationMemberships,
  listUserMemberships,
  updateMembershipRole,
} from "../../organizations/memberships.js";
import { organizationJson } from "../../organizations/organization-json.js";
import { deleteOrganizationLogo, setOrganizationLogo } from "../../organizations/organization-logos.js";
import { mergeOrganizationMetadata } from "../../organizations/organization-metadata.js";
import {
  createMembershipBody,
  createOrganizationBody,
  newOrganizationFrom,
  organizationListQuerySchema,
  organizationMetadataBody,
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
import type { Services } from "../../services.js";
import { findUser } from "../../users/users.js";
import type { InstanceEnv } from "../auth.js";
import { readBody } from "../body.js";
import { readMultipart } from "../multipart.js";

export function organizationRoutes(svc: Services): Hono<InstanceEnv> {
  const r = new Hono<InstanceEnv>();
  const query = (url: string) => new URL(url).searchParams;

  r.get("/organizations", async (c) => {
    const q = parseQuery(organizationListQuerySchema, query(c.req.url));
    const { rows, total } = await listOrganizations(svc, c.get("instance").id, q);
    return c.json({ data: rows.map(organizationJson), total_count: total });
  });

  r.post("/organizations", async (c) => {
    const instanceId = c.get("instance").id;
    const body = await readBody(c, createOrganizationBody);
    const id = await createOrganization(svc, instanceId, newOrganizationFrom(body));
    return c.json(organizationJson(await getOrganization(svc, instanceId, id)));
  });

  r.get("/organizations/:org", async (c) =>
    c.json(organizationJson(await getOrganization(svc, c.get("instance").id, c.req.param("org")))),
  );

  r.patch("/organizations/:org", async (c) => {
    const instanceId = c.get("instance").id;
    const org = await getOrganization(svc, instanceId, c.req.param("org"));
    await updateOrganization(svc, org, await readBody(c, updateOrganizationBody));
    return c.json(organizationJson(await getOrganization(svc, instanceId, org.id)));
  });

  r.patch("/organizations/:org/metadata", async (c) => {
    const instanceId = c.get("instance").id;
    const org = await getOrganization(svc, instanceId, c.req.param("org"));
    await mergeOrganizationMetadata(svc, org, await readBody(c, organizationMetadataBody));
    return c.json(organizationJson(await getOrganization(svc, instanceId, org.id)));
  });

  r.put("/organizations/:org/logo", async (c) => {
    const instanceId = c.get("instance").id;
    const org = await getOrganization(svc, instanceId, c.req.param("org"));
    const { bytes, fields } = await readMultipart(c, "file");
    const uploader = fields.get("uploader_user_id")?.trim().slice(0, 100);
    await setOrganizationLogo(svc, org, { bytes, uploaderUserId: uploader || undefined });
    return c.json(organizationJson(await getOrganization(svc, instanceId, org.id)));
  });

  r.delete("/organizations/:org/logo", async (c) => {
    const instanceId = c.get("instance").id;
    const org = await getOrganization(svc, instanceId, c.req.param("org"));
    await deleteOrganizationLogo(svc, org);
    return c.json(organizationJson(await getOrganization(svc, instanceId, org.id)));
  });

  r.delete("/organizations/:org", async (c) => {
    const instanceId = c.get("instance").id;
    const org = await getOrganization(svc, instanceId, c.req.param("org"));
    await deleteOrganization(svc, instanceId, org.id);
    return c.json({ object: "organization", id: org.id, deleted: true });
  });

  r.get("/organizations/:org/memberships", async (c) => {
    const instanceId = c.get("instance").id;
    const org = await getOrganization(svc, instanceId, c.req.param("org"));
    const page = parseQuery(pageQuerySchema, query(c.req.url));
    return c.json(await listOrganizationMemberships(svc, instanceId, org.id, page));
  });

  r.post("/organizations/:org/memberships", async (c) => {
    const org = await getOrganization(svc, c.get("instance").id, c.req.param("org"));
    return c.json(await createMembership(svc, org, await readBody(c, createMembershipBody)));
  });

  r.patch("/organizations/:org/memberships/:userId", async (c) => {
    const org = await getOrganization(svc, c.get("instance").id, c.req.param("org"));
    const { role } = await readBody(c, updateMembershipBody);
    return c.json(await updateMembershipRole(svc, org, c.req.param("userId"), role));
  });

  r.delete("/organizations/:org/memberships/:userId", async (c) => {
    const org = await getOrganization(svc, c.get("instance").id, c.req.param("org"));
    return c.json(await deleteMembership(svc, org, c.req.param("userId")));
  });

  r.get("/users/:userId/organization_memberships", async (c) => {
    const instanceId = c.get("instance").id;
    const userId = c.req.param("userId");
    if (!(await findUser(svc, instanceId, userId))) {
      throw new ApiError("resource_not_found", { longMessage: "No user with that id in this instance." });
    }
    const page = parseQuery(pageQuerySchema, query(c.req.url));
    return c.json(await listUserMemberships(svc, instanceId, userId, page));
  });

  return r;
}
