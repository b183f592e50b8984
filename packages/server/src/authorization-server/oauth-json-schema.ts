/**
 * The Platform API's OAuth application and grant JSON as zod schemas for the API reference; the
 * checks at the bottom hold each schema equal to what its serializer returns.
 */
import { z } from "zod";
import type { SameShape } from "../same-shape.js";
import type { ApprovedClient } from "./grants.js";
import type { oauthApplicationJson } from "./oauth-applications.js";

const ms = z.number().int().describe("Milliseconds since the epoch.");

export const oauthApplicationJsonSchema = z.object({
  object: z.literal("oauth_application"),
  id: z.string(),
  instance_id: z.string(),
  name: z.string().describe("Shown to users on the consent page."),
  client_id: z.string(),
  public: z.boolean().describe("A public client (no secret): a SPA, a native or a CLI app."),
  client_secret: z
    .string()
    .optional()
    .describe("Only in the answer that creates a confidential client: stored as a hash, never shown again."),
  redirect_uris: z.array(z.string()).describe("Compared exactly at authorization."),
  scopes: z.string().describe("Space-separated OpenID scopes the client may ask for."),
  created_at: ms,
  updated_at: ms,
});

export const oauthGrantJsonSchema = z.object({
  object: z.literal("oauth_grant"),
  grant_id: z.string(),
  user_id: z.string(),
  client_id: z.string(),
  scopes: z.array(z.string()).describe("OpenID scopes approved."),
  resources: z.record(z.string(), z.array(z.string())).describe("Resource URL → scopes approved for it."),
  created_at: ms,
});

export function oauthGrantJson(g: ApprovedClient & { user_id: string }) {
  return { object: "oauth_grant" as const, ...g };
}

export const oauthSchemasMatchSerializers: [
  SameShape<z.infer<typeof oauthApplicationJsonSchema>, ReturnType<typeof oauthApplicationJson>>,
  SameShape<z.infer<typeof oauthGrantJsonSchema>, ReturnType<typeof oauthGrantJson>>,
] = [true, true];
