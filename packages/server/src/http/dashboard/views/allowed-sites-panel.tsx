import type { InstanceContext } from "../instance-context.js";
import { EditableList, PostForm } from "./components.js";

/** The allow-list of Atlassian sites (issue 18): who may sign up and sign in, which sites apps see. */
export function AllowedSitesPanel(props: {
  ctx: InstanceContext;
  base: string;
  csrf: string;
  /** The settings page's form error; shown here when it names the `site` field. */
  error?: { field: string | undefined; message: string };
  siteValue?: string;
}) {
  const { ctx, base, csrf, error } = props;
  const sites = ctx.instance.allowed_atlassian_sites;
  const siteError = error?.field === "site" ? error.message : undefined;
  return (
    <section class="panel" aria-labelledby="sites-heading">
      <h2 id="sites-heading">Allowed Atlassian sites</h2>
      <p class="hint">
        Cloud ids or site URLs. When the list is not empty, only people whose Atlassian grant covers one of
        these sites can sign up or sign in, and apps get tokens for these sites only.
      </p>
      <EditableList
        items={sites}
        name="site"
        action={`${base}/atlassian_sites`}
        csrf={csrf}
        empty="Every site may sign in."
        addLabel="Add a site"
        addButton="Add site"
        placeholder="https://acme.atlassian.net"
        value={props.siteValue}
        error={siteError}
      />
      <PostForm action={`${base}/organizations_from_sites`} csrf={csrf}>
        <label for="organizations_from_sites">Organizations from sites</label>
        <div class="row">
          <select id="organizations_from_sites" name="organizations_from_sites" aria-describedby="orgs-hint">
            <option value="off" selected={ctx.instance.organizations_from_sites === "off"}>
              Off
            </option>
            <option value="auto" selected={ctx.instance.organizations_from_sites === "auto"}>
              One organization per Atlassian site
            </option>
          </select>
          <button type="submit">Save</button>
        </div>
        <p class="hint" id="orgs-hint">
          With one per site, each site your users' grants cover becomes an organization; its people become
          members as they sign in (users who signed in before are added in the background after you turn it
          on), and stop being members when they lose the site.
        </p>
      </PostForm>
    </section>
  );
}
