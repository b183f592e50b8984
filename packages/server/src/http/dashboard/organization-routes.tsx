import type { Context, Hono } from "hono";
import { isApiError } from "../../errors/api-error.js";
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
import { validate } from "../body.js";
import { field, readForm } from "./form.js";
import type { DashboardEnv } from "./guard.js";
import { instancePath, loadInstanceContext } from "./instance-context.js";
import { type NoticeCode, noticeText, withNotice } from "./notices.js";
import { render } from "./render.js";
import { type OrganizationFormError, OrganizationsPage } from "./views/organizations.js";

const SHOWN = 50;
const MEMBERS_SHOWN = 100;

/** An operator's mistake (a 4xx) in words for its form; undefined for anything else, which propagates. */
function refusal(err: unknown): string | undefined {
  if (!isApiError(err) || err.status >= 500) return undefined;
  return err.longMessage ?? err.message;
}

/**
 * The Organizations tab: the newest organizations with their members, and the Backend API's
 * writes as forms (the same domain functions, rules and events): create, rename, delete; add a
 * member by user id, change a role, remove. Site organizations follow the same rules as over
 * the API (a deleted one, or a removed site member, comes back with the next sign-in or refresh
 * whose grant covers the site), and the page says so.
 */
export function organizationRoutes(r: Hono<DashboardEnv>, svc: Services): void {
  const page = async (c: Context<DashboardEnv>, error?: OrganizationFormError) => {
    const ctx = await loadInstanceContext(svc, c.req.param("id") ?? "");
    const { rows, total } = await listOrganizations(svc, ctx.instance.id, { limit: SHOWN, offset: 0 });
    const organizations = await Promise.all(
      rows.map(async (row) => ({
        organization: organizationJson(row),
        members: (
          await listOrganizationMemberships(svc, ctx.instance.id, row.id, { limit: MEMBERS_SHOWN, offset: 0 })
        ).data,
      })),
    );
    return render(
      c,
      <OrganizationsPage
        ctx={ctx}
        csrf={c.get("dashboard").csrfToken}
        data={{ organizations, total, backfill: await siteBackfillStatus(svc, ctx.instance.id) }}
        notice={noticeText(c.req.query("notice"))}
        error={error}
      />,
      error ? 422 : 200,
    );
  };
  const back = (instanceId: string, notice: NoticeCode) =>
    withNotice(instancePath(instanceId, "organizations"), notice);

  r.get("/instances/:id/organizations", (c) => page(c));

  r.post("/instances/:id/organizations", async (c) => {
    const { instance } = await loadInstanceContext(svc, c.req.param("id"));
    const form = await readForm(c);
    const values = {
      name: field(form, "name") ?? "",
      slug: field(form, "slug"),
      created_by: field(form, "created_by"),
    };
    try {
      const body = validate(createOrganizationBody, {
        name: values.name,
        ...(values.slug ? { slug: values.slug } : {}),
        ...(values.created_by ? { created_by: values.created_by } : {}),
      });
      await createOrganization(svc, instance.id, newOrganizationFrom(body));
    } catch (err) {
      const message = refusal(err);
      if (!message) throw err;
      return page(c, { form: "create", message, values });
    }
    return c.redirect(back(instance.id, "organization_created"), 303);
  });

  /** A form about one organization: a missing one is the error page (404), a refusal shows on its form. */
  const orgAction = (
    name: string,
    run: (org: Awaited<ReturnType<typeof getOrganization>>, form: URLSearchParams) => Promise<unknown>,
    notice: NoticeCode,
  ) =>
    r.post(`/instances/:id/organizations/:org/${name}`, async (c) => {
      const { instance } = await loadInstanceContext(svc, c.req.param("id"));
      const org = await getOrganization(svc, instance.id, c.req.param("org"));
      const form = await readForm(c);
      try {
        await run(org, form);
      } catch (err) {
        const message = refusal(err);
        if (!message || (isApiError(err, "resource_not_found") && name !== "members")) throw err;
        const values = Object.fromEntries([...form.entries()].filter(([k]) => k !== "_csrf"));
        return page(c, { form: name, organizationId: org.id, message, values });
      }
      return c.redirect(back(instance.id, notice), 303);
    });

  orgAction(
    "rename",
    (org, form) =>
      updateOrganization(svc, org, validate(updateOrganizationBody, { name: field(form, "name") ?? "" })),
    "organization_renamed",
  );
  orgAction("delete", (org) => deleteOrganization(svc, org.instance_id, org.id), "organization_deleted");
  orgAction(
    "members",
    (org, form) =>
      createMembership(
        svc,
        org,
        validate(createMembershipBody, {
          user_id: field(form, "user_id") ?? "",
          role: field(form, "role") ?? "",
        }),
      ),
    "member_added",
  );
  orgAction(
    "members/role",
    (org, form) =>
      updateMembershipRole(
        svc,
        org,
        field(form, "user_id") ?? "",
        validate(updateMembershipBody, { role: field(form, "role") ?? "" }).role,
      ),
    "member_role_changed",
  );
  orgAction(
    "members/remove",
    (org, form) => deleteMembership(svc, org, field(form, "user_id") ?? ""),
    "member_removed",
  );
}
