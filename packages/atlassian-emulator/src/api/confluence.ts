/**
 * Confluence through the gateway. v2 (`/wiki/api/v2/…`) accepts only granular scopes and v1
 * (`/wiki/rest/api/…`) only classic ones (atlassian-3lo §7 [M], §11 [M]); the gate enforces the
 * family, each route names its own scope.
 */
import { Hono } from "hono";
import type { EmulatorState } from "../state.js";
import type { EmulatorSite } from "../types.js";
import { confluenceSearch } from "./confluence-search.js";
import { confluencePages, confluenceSpaces, confluenceV1Content, confluenceV1Spaces } from "./demo-data.js";
import { gate, type Operation } from "./gate.js";

const V2 = "/ex/confluence/:cloudId/wiki/api/v2";
const V1 = "/ex/confluence/:cloudId/wiki/rest/api";

const ROUTES: { path: string; op: Operation; body: (site: EmulatorSite) => object }[] = [
  {
    path: `${V2}/spaces`,
    op: { api: "confluence-v2", anyOf: ["read:space:confluence"] },
    body: confluenceSpaces,
  },
  {
    path: `${V2}/pages`,
    op: { api: "confluence-v2", anyOf: ["read:page:confluence"] },
    body: confluencePages,
  },
  {
    path: `${V1}/space`,
    op: { api: "confluence-v1", anyOf: ["read:confluence-space.summary"] },
    body: confluenceV1Spaces,
  },
  {
    path: `${V1}/content`,
    op: { api: "confluence-v1", anyOf: ["read:confluence-content.summary", "read:confluence-content.all"] },
    body: confluenceV1Content,
  },
];

const SEARCH: Operation = { api: "confluence-v1", anyOf: ["search:confluence"] };

export function confluenceRoutes(state: EmulatorState): Hono {
  const app = new Hono();
  for (const route of ROUTES) {
    app.get(route.path, (c) => {
      const ok = gate(state, c, route.op);
      if (ok instanceof Response) return ok;
      return c.json(route.body(ok.site));
    });
  }
  app.get(`${V1}/search`, (c) => {
    const ok = gate(state, c, SEARCH);
    if (ok instanceof Response) return ok;
    return confluenceSearch(c, ok);
  });
  return app;
}
