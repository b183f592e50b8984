/**
 * Builds an OpenAPI 3.1 document from an API's route entries ({@link RouteDoc}). Request
 * bodies and query parameters are the JSON Schema of the zod schemas the routes validate with
 * (`io: "input"`: what a caller may send, defaults included); responses are the zod schemas held
 * equal to the serializers' types (`io: "output"`). OpenAPI 3.1's schema dialect is JSON Schema
 * 2020-12, which is what `z.toJSONSchema` writes, so nothing is translated by hand.
 */
import { ERRORS, type ErrorCode } from "@foyer/contract";
import { z } from "zod";
import { errorBodyJsonSchema, errorEntryJsonSchema } from "../../errors/error-json-schema.js";
import { openApiPath, pathParams, type RouteDoc } from "./route-doc.js";

export interface ApiReference {
  title: string;
  description: string;
  /** Where app.ts mounts the API ("/v1"); the entries' paths are relative to it. */
  basePath: string;
  securityScheme: { name: string; description: string; bearerFormat: string };
  /** Codes every route that needs the credential may answer with. */
  commonErrors: ErrorCode[];
  /** Named response schemas: the document's components, referenced wherever they appear. */
  components: Record<string, z.ZodType>;
  routes: RouteDoc[];
}

type Json = Record<string, unknown>;

/** What `readBody` itself may refuse, whatever the schema. */
const BODY_ERRORS: ErrorCode[] = [
  "invalid_json",
  "json_too_deep",
  "request_body_too_large",
  "unsupported_media_type",
  "form_param_unknown",
  "form_param_invalid",
  "form_param_missing",
];
const QUERY_ERRORS: ErrorCode[] = ["query_param_invalid"];
const COMPONENTS_PREFIX = "#/components/schemas/";

export function openApiDocument(ref: ApiReference): Json {
  const registry = z.registry<{ id: string }>();
  const named = { ErrorBody: errorBodyJsonSchema, ErrorEntry: errorEntryJsonSchema, ...ref.components };
  for (const [id, schema] of Object.entries(named)) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, { uri: (id) => `${COMPONENTS_PREFIX}${id}`, io: "output" });
  for (const [id, schema] of Object.entries(schemas)) {
    delete schema.$schema;
    delete schema.$id;
    schemas[id] = tidy(schema) as typeof schema;
  }

  const paths: Record<string, Record<string, Json>> = {};
  for (const route of ref.routes) {
    const path = openApiPath(route.path);
    paths[path] ??= {};
    if (paths[path][route.method]) throw new Error(`Two reference entries for ${route.method} ${route.path}`);
    paths[path][route.method] = operation(ref, route, {
      schemas: registry,
      ids: new Set(Object.keys(named)),
    });
  }
  const tags = [...new Set(ref.routes.map((r) => r.tag).filter((t): t is string => Boolean(t)))];
  return {
    openapi: "3.1.0",
    info: {
      title: ref.title,
      // The API's version, not the build's: the document is public and should not fingerprint a release.
      version: "v1",
      description: ref.description,
    },
    servers: [{ url: ref.basePath, description: "Relative to the Foyer that serves this document." }],
    security: [{ [ref.securityScheme.name]: [] }],
    tags: tags.map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: {
        [ref.securityScheme.name]: {
          type: "http",
          scheme: "bearer",
          bearerFormat: ref.securityScheme.bearerFormat,
          description: ref.securityScheme.description,
        },
      },
      schemas,
    },
  };
}

interface Components {
  schemas: z.core.$ZodRegistry<{ id: string }>;
  ids: Set<string>;
}

function operation(ref: ApiReference, route: RouteDoc, registry: Components): Json {
  const op: Json = {
    operationId: operationId(route),
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    ...(route.tag ? { tags: [route.tag] } : {}),
    ...(route.public ? { security: [] } : {}),
  };
  const parameters = [...pathParameters(route), ...queryParameters(route), ...headerParameters(route)];
  if (parameters.length > 0) op.parameters = parameters;
  if (route.body) {
    const schema = inputSchema(route.body);
    const content: Json = { "application/json": { schema } };
    if (route.form) content["application/x-www-form-urlencoded"] = { schema };
    // An empty body reads as `{}`: it is required only when the schema refuses `{}`.
    op.requestBody = { required: !route.body.safeParse({}).success, content };
  }
  if (route.multipart) {
    const properties = Object.fromEntries(
      Object.entries(route.multipart.fields).map(([name, f]) => [
        name,
        { type: "string", description: f.description, ...(f.binary ? { format: "binary" } : {}) },
      ]),
    );
    const schema = { type: "object", properties, required: route.multipart.required };
    op.requestBody = { required: true, content: { "multipart/form-data": { schema } } };
  }
  const success: Json = { description: route.response.description };
  if (route.response.headers) success.headers = responseHeaders(route.response.headers);
  if (route.response.schema) {
    success.content = { "application/json": { schema: outputSchema(route.response.schema, registry) } };
  }
  op.responses = { [String(route.response.status)]: success, ...errorResponses(ref, route) };
  return op;
}

function operationId(route: RouteDoc): string {
  const words = route.path
    .split("/")
    .filter(Boolean)
    .map((part) => (part.startsWith(":") ? `by_${part.slice(1)}` : part.replace(/[^A-Za-z0-9]+/g, "_")));
  return [route.method, ...words].join("_");
}

function pathParameters(route: RouteDoc): Json[] {
  return pathParams(route.path).map((name) => {
    const schema = route.params?.[name] ? inputSchema(route.params[name]) : { type: "string" };
    const { description, ...rest } = schema;
    return { name, in: "path", required: true, ...(description ? { description } : {}), schema: rest };
  });
}

function headerParameters(route: RouteDoc): Json[] {
  return Object.entries(route.headers ?? {}).map(([name, schema]) => {
    const { description, ...rest } = inputSchema(schema);
    const required = !schema.safeParse(undefined).success;
    return { name, in: "header", required, ...(description ? { description } : {}), schema: rest };
  });
}

function responseHeaders(headers: Record<string, string>): Json {
  return Object.fromEntries(
    Object.entries(headers).map(([name, description]) => [name, { description, schema: { type: "string" } }]),
  );
}

function queryParameters(route: RouteDoc): Json[] {
  if (!route.query) return [];
  const object = inputSchema(route.query) as { properties?: Record<string, Json>; required?: string[] };
  return Object.entries(object.properties ?? {}).map(([name, schema]) => {
    const { description, ...rest } = schema;
    return {
      name,
      in: "query",
      required: object.required?.includes(name) ?? false,
      ...(description ? { description } : {}),
      schema: rest,
    };
  });
}

/** One response per status the route may answer with, listing the catalogue's codes and an example of each. */
function errorResponses(ref: ApiReference, route: RouteDoc): Record<string, Json> {
  const codes = new Set<ErrorCode>([
    ...(route.public ? [] : ref.commonErrors),
    ...(route.body ? BODY_ERRORS : []),
    ...(route.query ? QUERY_ERRORS : []),
    ...(route.errors ?? []),
  ]);
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes) {
    const status = ERRORS[code].status;
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const out: Record<string, Json> = {};
  for (const [status, list] of [...byStatus].sort(([a], [b]) => a - b)) {
    out[String(status)] = {
      description: list.map((code) => `\`${code}\`: ${ERRORS[code].message}`).join("\n\n"),
      // Retryable answers say when to come back (CONTRIBUTING: 503 and 429 carry Retry-After).
      ...(status === 429 || status === 503
        ? { headers: responseHeaders({ "Retry-After": "Seconds to wait before trying again." }) }
        : {}),
      content: {
        "application/json": {
          schema: { $ref: `${COMPONENTS_PREFIX}ErrorBody` },
          examples: Object.fromEntries(
            list.map((code) => [
              code,
              {
                value: {
                  errors: [
                    { code, message: ERRORS[code].message, long_message: ERRORS[code].message, meta: {} },
                  ],
                },
              },
            ]),
          ),
        },
      },
    };
  }
  return out;
}

/** The JSON Schema of what a caller may send (defaults included), as the document shows it. */
export function inputSchema(schema: z.ZodType): Json {
  const json = z.toJSONSchema(schema, { io: "input" }) as Json;
  delete json.$schema;
  return tidy(json) as Json;
}

/** A response schema whose named parts become references to the document's components. */
function outputSchema(schema: z.ZodType, registry: Components): Json {
  const json = z.toJSONSchema(schema, { io: "output", metadata: registry.schemas }) as Json;
  delete json.$schema;
  // Every part zod lifted out is a registered component: say so, or the document would dangle.
  for (const id of Object.keys((json.$defs ?? {}) as Json)) {
    if (!registry.ids.has(id)) throw new Error(`Response schema part ${id} is not a component`);
  }
  delete json.$defs;
  return tidy(json) as Json;
}

/**
 * Points zod's `#/$defs/X` at the document's components, and drops the bounds zod writes for
 * every `.int()` (±2^53 − 1), which say nothing to a reader.
 */
function tidy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(tidy);
  if (!value || typeof value !== "object") return value;
  const out: Json = {};
  for (const [k, v] of Object.entries(value)) {
    if ((k === "minimum" || k === "maximum") && Math.abs(v as number) === Number.MAX_SAFE_INTEGER) continue;
    out[k] = k === "$ref" && typeof v === "string" ? v.replace(/^#\/\$defs\//, COMPONENTS_PREFIX) : tidy(v);
  }
  return out;
}
