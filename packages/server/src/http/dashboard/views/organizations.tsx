import type { OrganizationJSON, OrganizationMembershipJSON } from "@foyer/contract";
import type { SiteBackfillStatus } from "../../../organizations/site-backfill.js";
import type { InstanceContext } from "../instance-context.js";
import { DASHBOARD_PATH } from "../url.js";
import { FieldError, PostForm } from "./components.js";
import { InstanceFrame } from "./instance-frame.js";

export interface OrganizationsData {
  organizations: Array<{ organization: OrganizationJSON; members: OrganizationMembershipJSON[] }>;
  total: number;
  backfill: SiteBackfillStatus;
}

/** A refused form: which one (`create`, or an organization's `rename` / `members` / …), why, and what was typed. */
export interface OrganizationFormError {
  form: string;
  organizationId?: string;
  message: string;
  values: Record<string, string | undefined>;
}

const ROLES = ["org:member", "org:admin"] as const;

function RoleSelect(props: { id: string; selected?: string | undefined; label: string }) {
  return (
    <select id={props.id} name="role" aria-label={props.label}>
      {ROLES.map((role) => (
        <option value={role} selected={role === (props.selected ?? "org:member")}>
          {role}
        </option>
      ))}
    </select>
  );
}

function memberName(m: OrganizationMembershipJSON): string {
  const u = m.public_user_data;
  return [u.first_name, u.last_name].filter(Boolean).join(" ") || u.identifier || u.user_id;
}

function OrganizationPanel(props: {
  organization: OrganizationJSON;
  members: OrganizationMembershipJSON[];
  base: string;
  csrf: string;
  error: OrganizationFormError | undefined;
}) {
  const { organization: org, members, csrf } = props;
  const at = `${props.base}/${encodeURIComponent(org.id)}`;
  const error = props.error?.organizationId === org.id ? props.error : undefined;
  const errorOf = (form: string) => (error?.form === form ? error : undefined);
  const rename = errorOf("rename");
  const add = errorOf("members");
  const site = org.atlassian_site;
  return (
    <section class="panel" aria-label={org.name} id={`org-${org.id}`}>
      <h2 class="wrap">{org.name}</h2>
      <p class="muted wrap">
        <code>{org.id}</code> · <code>{org.slug}</code> · {org.members_count}{" "}
        {org.members_count === 1 ? "member" : "members"}
        {site ? (
          <>
            {" "}
            · Atlassian site <a href={site.url}>{site.name}</a> (<code>{site.cloud_id}</code>)
          </>
        ) : null}
      </p>
      {site ? (
        <p class="hint">
          Members whose grants cover the site join by themselves: one removed here, or this organization
          deleted, comes back at their next sign-in or token refresh while the grant covers the site.
        </p>
      ) : null}
      {/* A refusal of a member's row (role, remove) has no field of its own: it shows here. */}
      <FieldError
        id={`org-${org.id}-error`}
        message={error && !["rename", "members"].includes(error.form) ? error.message : undefined}
      />
      <ul class="plain">
        {members.map((m) => {
          const roleId = `role-${org.id}-${m.public_user_data.user_id}`;
          return (
            <li class="row">
              <span class="grow wrap">{memberName(m)}</span>
              <PostForm action={`${at}/members/role`} csrf={csrf} class="row">
                <input type="hidden" name="user_id" value={m.public_user_data.user_id} />
                <RoleSelect id={roleId} selected={m.role} label={`Role of ${memberName(m)}`} />
                <button type="submit">Save role</button>
              </PostForm>
              <PostForm
                action={`${at}/members/remove`}
                csrf={csrf}
                class="inline"
                confirm={`Remove ${memberName(m)} from ${org.name}?`}
              >
                <input type="hidden" name="user_id" value={m.public_user_data.user_id} />
                <button type="submit" class="link" aria-label={`Remove ${memberName(m)}`}>
                  Remove
                </button>
              </PostForm>
            </li>
          );
        })}
      </ul>
      <PostForm action={`${at}/members`} csrf={csrf}>
        <label for={`add-${org.id}`}>Add a member (user id)</label>
        <div class="row">
          <input
            type="text"
            id={`add-${org.id}`}
            name="user_id"
            class="grow mono"
            placeholder="user_…"
            required
            value={add?.values.user_id}
            aria-invalid={add ? "true" : undefined}
            aria-describedby={add ? `add-${org.id}-error` : undefined}
          />
          <RoleSelect id={`add-role-${org.id}`} selected={add?.values.role} label="Role of the new member" />
          <button type="submit">Add member</button>
        </div>
        <FieldError id={`add-${org.id}-error`} message={add?.message} />
      </PostForm>
      <details open={rename ? true : undefined}>
        <summary>Rename or delete</summary>
        <PostForm action={`${at}/rename`} csrf={csrf}>
          <label for={`name-${org.id}`}>Name</label>
          <div class="row">
            <input
              type="text"
              id={`name-${org.id}`}
              name="name"
              class="grow"
              required
              value={rename?.values.name ?? org.name}
              aria-invalid={rename ? "true" : undefined}
              aria-describedby={rename ? `name-${org.id}-error` : undefined}
            />
            <button type="submit">Rename</button>
          </div>
          <FieldError id={`name-${org.id}-error`} message={rename?.message} />
        </PostForm>
        <PostForm
          action={`${at}/delete`}
          csrf={csrf}
          confirm={`Delete ${org.name} and its ${org.members_count} memberships?`}
        >
          <button type="submit" class="danger">
            Delete organization
          </button>
        </PostForm>
      </details>
    </section>
  );
}

/** An instance's organizations: each with its Atlassian site and members, and the forms that change them. */
export function OrganizationsPage(props: {
  ctx: InstanceContext;
  csrf: string;
  data: OrganizationsData;
  notice?: string | undefined;
  error?: OrganizationFormError | undefined;
}) {
  const { ctx, data, csrf } = props;
  const base = `${DASHBOARD_PATH}/instances/${encodeURIComponent(ctx.instance.id)}/organizations`;
  const create = props.error?.form === "create" ? props.error : undefined;
  return (
    <InstanceFrame ctx={ctx} tab="organizations" title="Organizations" csrf={csrf} notice={props.notice}>
      <p class="hint">
        Organizations are made here, through the Backend or Platform API, or one per Atlassian site when the
        settings say so (organizations from sites:{" "}
        {ctx.instance.organizations_from_sites === "auto" ? "on" : "off"}
        ).
      </p>
      {data.backfill.status === "running" ? (
        <p class="notice info" role="status">
          Adding the users who signed in before organizations from sites was turned on:{" "}
          {data.backfill.users_done} done so far. Reload to see more.
        </p>
      ) : null}
      {data.total === 0 ? <p class="muted">No organization yet.</p> : null}
      {data.organizations.map(({ organization, members }) => (
        <OrganizationPanel
          organization={organization}
          members={members}
          base={base}
          csrf={csrf}
          error={props.error}
        />
      ))}
      {data.total > data.organizations.length ? (
        <p class="muted">
          The {data.organizations.length} newest of {data.total}; the Platform API lists them all.
        </p>
      ) : null}
      <section class="panel" aria-labelledby="new-organization">
        <h2 id="new-organization">Create an organization</h2>
        <PostForm action={base} csrf={csrf}>
          <label for="org-name">Name</label>
          <input
            type="text"
            id="org-name"
            name="name"
            required
            value={create?.values.name}
            aria-invalid={create ? "true" : undefined}
            aria-describedby={create ? "org-create-error" : undefined}
          />
          <label for="org-slug">Slug (optional: made from the name)</label>
          <input type="text" id="org-slug" name="slug" class="mono" value={create?.values.slug} />
          <label for="org-creator">First admin (optional user id)</label>
          <input
            type="text"
            id="org-creator"
            name="created_by"
            class="mono"
            placeholder="user_…"
            value={create?.values.created_by}
          />
          <FieldError id="org-create-error" message={create?.message} />
          <button type="submit">Create organization</button>
        </PostForm>
      </section>
    </InstanceFrame>
  );
}
