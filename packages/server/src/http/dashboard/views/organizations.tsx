import type { OrganizationJSON, OrganizationMembershipJSON } from "@foyer/contract";
import type { InstanceContext } from "../instance-context.js";
import { InstanceFrame } from "./instance-frame.js";

export interface OrganizationsData {
  organizations: Array<{ organization: OrganizationJSON; members: OrganizationMembershipJSON[] }>;
  total: number;
}

/** An instance's organizations, read only: each with its Atlassian site and its members. */
export function OrganizationsPage(props: { ctx: InstanceContext; csrf: string; data: OrganizationsData }) {
  const { ctx, data } = props;
  return (
    <InstanceFrame ctx={ctx} tab="organizations" title="Organizations" csrf={props.csrf}>
      <p class="hint">
        Organizations are made through the Backend API, or one per Atlassian site when the settings say so
        (organizations from sites: {ctx.instance.organizations_from_sites === "auto" ? "on" : "off"}).
      </p>
      {data.total === 0 ? <p class="muted">No organization yet.</p> : null}
      {data.organizations.map(({ organization: org, members }) => (
        <section class="panel" aria-label={org.name}>
          <h2>{org.name}</h2>
          <p class="muted">
            <code>{org.id}</code> · <code>{org.slug}</code> · {org.members_count}{" "}
            {org.members_count === 1 ? "member" : "members"}
            {org.atlassian_site ? (
              <>
                {" "}
                · Atlassian site <a href={org.atlassian_site.url}>{org.atlassian_site.name}</a> (
                <code>{org.atlassian_site.cloud_id}</code>)
              </>
            ) : null}
          </p>
          <ul class="plain">
            {members.map((m) => (
              <li class="row">
                <span class="grow">
                  {[m.public_user_data.first_name, m.public_user_data.last_name].filter(Boolean).join(" ") ||
                    m.public_user_data.identifier ||
                    m.public_user_data.user_id}
                </span>
                <code>{m.role}</code>
              </li>
            ))}
          </ul>
        </section>
      ))}
      {data.total > data.organizations.length ? (
        <p class="muted">
          The {data.organizations.length} newest of {data.total}; the Platform API lists them all.
        </p>
      ) : null}
    </InstanceFrame>
  );
}
