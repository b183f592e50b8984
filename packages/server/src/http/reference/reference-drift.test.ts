/**
 * The API references cannot drift from the code: every route the app registers under /v1 and
 * /platform/v1 has an entry (and every entry a route), each documented request schema is the
 * very object its route validates with (and no body-less entry hides a route that reads one),
 * each GET answers exactly the shape its entry documents, and both documents are valid OpenAPI 3.1.
 *
 * A route added without an entry fails here with its method and path: add an entry to the
 * `*.reference.ts` beside its route file (and its mount to backend/ or platform/reference.ts).
 */

import { DB_KINDS } from "@foyer/testkit/databases";
import { type GrantSuite, startGrantSuite } from "@foyer/testkit/grant-suite";
import type { TestFoyer } from "@foyer/testkit/harness";
import { signInTestUser } from "@foyer/testkit/instances";
import { Validator } from "@seriousme/openapi-schema-validator";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createEndpoint } from "../../events/webhook-endpoints.js";
import { sendTestEvent } from "../../events/webhook-log.js";
import { getInstance, type Instance } from "../../instances/instances.js";
import { findUser } from "../../users/users.js";
import { backendReference } from "../backend/reference.js";
import { platformReference } from "../platform/reference.js";
import { type ApiReference, inputSchema } from "./openapi-document.js";
import { openApiPath, type RouteDoc } from "./route-doc.js";

interface Content {
  "application/json": { schema: unknown };
}
interface Operation {
  requestBody?: { content: Content };
  parameters?: Array<{ name: string; in: string }>;
  responses: Record<string, { description: string; content: Content }>;
}
interface Doc {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { securitySchemes: Record<string, unknown>; schemas: Record<string, unknown> };
}

const APIS = [
  { name: "backend", reference: backendReference, url: "/v1/openapi.json" },
  { name: "platform", reference: platformReference, url: "/platform/v1/openapi.json" },
] as const;

describe.each(DB_KINDS)("API reference (%s)", (kind) => {
  // An instance whose users hold real (emulated) Atlassian grants, so answers carry accounts and sites.
  let suite: GrantSuite;
  let foyer: TestFoyer;
  let instance: Instance;
  const docs: Record<string, Doc> = {};

  beforeAll(async () => {
    suite = await startGrantSuite(kind);
    foyer = suite.foyer;
    instance = await getInstance(foyer.svc, suite.instanceId);
    for (const api of APIS) {
      // No credentials: the references are public.
      const res = await foyer.request(api.url);
      expect(res.status, api.url).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/^application\/json/);
      docs[api.name] = (await res.json()) as Doc;
    }
  });
  afterAll(() => suite.close());

  it("serves valid OpenAPI 3.1 documents with their security schemes and the error envelope", async () => {
    for (const api of APIS) {
      const doc = docs[api.name]!;
      expect(doc.openapi).toBe("3.1.0");
      const result = await new Validator().validate(doc as unknown as Record<string, unknown>);
      expect(result.errors, api.name).toBeUndefined();
      expect(result.valid).toBe(true);
      expect(Object.keys(doc.components.securitySchemes)).toEqual([api.reference.securityScheme.name]);
      expect(doc.components.schemas.ErrorBody).toBeDefined();
    }
    // A route's own catalogue codes are listed under their status, with the error body.
    const patch = docs.platform!.paths["/instances/{id}/social_connections/atlassian"]!.patch!;
    expect(patch.responses["422"]!.description).toContain("`atlassian_scope_invalid`");
    expect(patch.responses["422"]!.content["application/json"].schema).toEqual({
      $ref: "#/components/schemas/ErrorBody",
    });
    expect(patch.responses["401"]!.description).toContain("`platform_token_invalid`");
    const users = docs.backend!.paths["/users"]!.get!;
    expect(users.parameters!.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(["limit", "offset", "order_by", "query", "email_address", "user_id"]),
    );
    expect(users.responses["200"]!.content["application/json"].schema).toEqual({
      type: "array",
      items: { $ref: "#/components/schemas/User" },
    });
  });

  it("lists every route the app registers under each API, and no route it does not", () => {
    const registered: Record<string, Set<string>> = { backend: new Set(), platform: new Set() };
    for (const route of foyer.app.hono.routes) {
      if (route.method === "ALL") continue; // middleware (`use`)
      const [api, base] = route.path.startsWith("/platform/v1/")
        ? ["platform", "/platform/v1"]
        : route.path.startsWith("/v1/")
          ? ["backend", "/v1"]
          : [undefined, ""];
      if (!api) continue;
      registered[api]!.add(`${route.method} ${openApiPath(route.path.slice(base.length))}`);
    }
    for (const api of APIS) {
      const documented = new Set(
        Object.entries(docs[api.name]!.paths).flatMap(([path, ops]) =>
          Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`),
        ),
      );
      const missing = [...registered[api.name]!].filter((r) => !documented.has(r));
      const stale = [...documented].filter((r) => !registered[api.name]!.has(r));
      expect({ api: api.name, missing, stale }).toEqual({ api: api.name, missing: [], stale: [] });
    }
  });

  /** A concrete path for an entry: the test instance's ids, a user and a session of it. */
  async function pathMaker() {
    const { userId } = await suite.seed();
    const user = (await findUser(foyer.svc, instance.id, userId))!;
    const { sessionId } = await signInTestUser(foyer, instance, user);
    const { endpoint } = await createEndpoint(foyer.svc, instance, { url: "http://127.0.0.1:9/reference" });
    const { messageId } = await sendTestEvent(foyer.svc, instance.id, endpoint.id);
    const org = await foyer.request("/v1/organizations", {
      method: "POST",
      headers: { authorization: `Bearer ${suite.secretKey}`, "content-type": "application/json" },
      body: JSON.stringify({ name: `Drift ${sessionId}`, created_by: user.id }),
    });
    const orgId = ((await org.json()) as { id: string }).id;
    return (route: RouteDoc) =>
      route.path.replace(/:([A-Za-z0-9_]+)/g, (_, name: string) => {
        if (name === "userId") return user.id;
        if (name === "org") return orgId;
        if (name === "provider") return "oauth_atlassian";
        if (name === "endpointId") return endpoint.id;
        if (name === "messageId") return messageId;
        if (route.path.startsWith("/applications/")) return instance.application_id;
        if (route.path.startsWith("/instances/")) return instance.id;
        if (route.path.startsWith("/sessions/")) return sessionId;
        if (route.path.startsWith("/organizations/")) return orgId;
        throw new Error(`no test value for :${name} in ${route.path}`);
      });
  }
  const authOf = (api: (typeof APIS)[number]) =>
    `Bearer ${api.name === "backend" ? suite.secretKey : foyer.platformToken}`;

  it("answers each GET in the shape its entry documents, no field more or less", async () => {
    const pathFor = await pathMaker();
    const checked: string[] = [];
    for (const api of APIS) {
      for (const route of (api.reference as ApiReference).routes) {
        const schema = route.response.schema;
        if (route.method !== "get" || !schema) continue;
        const res = await foyer.request(`${api.reference.basePath}${pathFor(route)}`, {
          headers: { authorization: authOf(api) },
        });
        expect(res.status, route.path).toBe(route.response.status);
        const json: unknown = await res.json();
        const parsed = schema.safeParse(json);
        expect(parsed.error, `${route.path}: ${JSON.stringify(json).slice(0, 300)}`).toBeUndefined();
        // zod drops fields a schema does not name: equal after parsing means none was extra.
        expect(parsed.data, route.path).toEqual(json);
        checked.push(route.path);
      }
    }
    expect(checked.length).toBeGreaterThanOrEqual(10);
  });

  it("documents each request body and query with the very schema object its route validates with", async () => {
    const pathFor = await pathMaker();
    const checked: string[] = [];
    for (const api of APIS) {
      for (const route of (api.reference as ApiReference).routes) {
        const schema = route.body ?? route.query;
        if (!schema) continue;
        // The route may call either; a copy of the schema would leave both spies untouched.
        const spies = [vi.spyOn(schema, "safeParse"), vi.spyOn(schema, "parse")];
        try {
          const res = await foyer.request(`${api.reference.basePath}${pathFor(route)}`, {
            method: route.method.toUpperCase(),
            headers: {
              authorization: authOf(api),
              ...(route.body ? { "content-type": "application/json" } : {}),
            },
            ...(route.body ? { body: "{}" } : {}),
          });
          expect(res.status, `${route.method} ${route.path}`).toBeLessThan(500);
          const calls = spies.reduce((n, spy) => n + spy.mock.calls.length, 0);
          expect(calls, `${route.method} ${route.path} validates with its documented schema`).toBeGreaterThan(
            0,
          );
        } finally {
          for (const spy of spies) spy.mockRestore();
        }
        // …and the document shows that schema, not another.
        const op = docs[api.name]!.paths[openApiPath(route.path)]![route.method]!;
        const json = inputSchema(schema);
        if (route.body) expect(op.requestBody?.content["application/json"].schema).toEqual(json);
        else {
          const names = Object.keys((json as { properties: object }).properties);
          expect(op.parameters!.filter((p) => p.in === "query").map((p) => p.name)).toEqual(names);
        }
        checked.push(`${route.method} ${route.path}`);
      }
    }
    expect(checked.length).toBeGreaterThanOrEqual(10);
  });

  it("documents no body-less write whose route reads a body after all", async () => {
    const pathFor = await pathMaker();
    for (const api of APIS) {
      for (const route of (api.reference as ApiReference).routes) {
        if (route.body || !["post", "patch", "put"].includes(route.method)) continue;
        // A route validating with a strict schema refuses the unknown field by name.
        const res = await foyer.request(`${api.reference.basePath}${pathFor(route)}`, {
          method: route.method.toUpperCase(),
          headers: { authorization: authOf(api), "content-type": "application/json" },
          body: JSON.stringify({ reference_probe: true }),
        });
        const code = res.ok
          ? ""
          : ((await res.json()) as { errors: Array<{ code: string }> }).errors[0]!.code;
        expect(code, `${route.method} ${route.path} reads a body its entry does not document`).not.toMatch(
          /^form_param_/,
        );
      }
    }
  });
});
