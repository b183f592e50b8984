import type { Child } from "hono/jsx";
import {
  applicationPath,
  type InstanceContext,
  type InstanceTab,
  instancePath,
} from "../instance-context.js";
import { DASHBOARD_PATH } from "../url.js";
import { Notice } from "./components.js";
import { Layout } from "./layout.js";

const TABS: Array<[InstanceTab, string]> = [
  ["api-keys", "API keys"],
  ["sso", "SSO connections"],
  ["users", "Users"],
  ["organizations", "Organizations"],
  ["settings", "Settings"],
  ["webhooks", "Webhooks"],
  ["oauth", "OAuth applications"],
];

/** Header of every instance page: application, development/production switcher, tabs. */
export function InstanceFrame(props: {
  ctx: InstanceContext;
  tab: InstanceTab;
  title: string;
  csrf: string;
  notice?: string;
  children?: Child;
}) {
  const { instance, application, instances } = props.ctx;
  const production = instances.find((i) => i.environment === "production");
  const development = instances.find((i) => i.environment === "development");
  return (
    <Layout title={`${props.title} · ${application.name}`} csrf={props.csrf}>
      <p class="muted">
        <a href={DASHBOARD_PATH}>Applications</a> / {application.name}
      </p>
      <div class="spread">
        <h1>{application.name}</h1>
        <div class="row">
          <nav class="switcher" aria-label="Instance">
            {development ? (
              <a
                href={instancePath(development.id, props.tab)}
                aria-current={development.id === instance.id ? "page" : undefined}
              >
                Development
              </a>
            ) : null}
            {production ? (
              <a
                href={instancePath(production.id, props.tab)}
                aria-current={production.id === instance.id ? "page" : undefined}
              >
                Production
              </a>
            ) : null}
          </nav>
          {production ? null : (
            <a class="button" href={applicationPath(application.id, "/production")}>
              Create production instance
            </a>
          )}
        </div>
      </div>
      <nav class="tabs" aria-label="Instance settings">
        {TABS.map(([tab, label]) => (
          <a href={instancePath(instance.id, tab)} aria-current={tab === props.tab ? "page" : undefined}>
            {label}
          </a>
        ))}
      </nav>
      {props.notice ? <Notice kind="ok">{props.notice}</Notice> : null}
      {props.children}
    </Layout>
  );
}
