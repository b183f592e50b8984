/**
 * The Platform API's social connection JSON as a zod schema for the API reference, held equal
 * at compile time to what `connectionJson` returns.
 */
import { z } from "zod";
import type { SameShape } from "../same-shape.js";
import type { connectionJson } from "./atlassian-connection.js";

export const socialConnectionJsonSchema = z.object({
  object: z.literal("social_connection"),
  provider: z.literal("atlassian"),
  strategy: z.string().describe("`oauth_atlassian`."),
  enabled: z.boolean(),
  authenticatable: z.boolean().describe("Usable for sign-up and sign-in; false: connect-only."),
  use_custom_credentials: z.boolean(),
  client_id: z.string().nullable(),
  client_secret_set: z.boolean().describe("The Client Secret is write-only: only whether one is set."),
  scopes: z.array(z.string()),
  redirect_uri: z
    .string()
    .describe("The Authorized redirect URI to paste into Atlassian's developer console."),
  shared_credentials: z.object({ available: z.boolean(), emulated: z.boolean() }),
  warnings: z.array(z.object({ code: z.string(), message: z.string() })),
  last_error: z
    .object({
      code: z.enum(["invalid_client", "code_rejected", "authorize_error"]),
      message: z.string().describe("What to do, in words."),
      detail: z.string().nullable().describe("The step and Atlassian's error code, for support."),
      at: z.number().int().describe("Milliseconds since the epoch."),
    })
    .nullable()
    .describe("The last thing Atlassian refused about this connection; null after the next success."),
  updated_at: z.number().int().describe("Milliseconds since the epoch."),
});

export const connectionSchemaMatchesSerializer: SameShape<
  z.infer<typeof socialConnectionJsonSchema>,
  ReturnType<typeof connectionJson>
> = true;
