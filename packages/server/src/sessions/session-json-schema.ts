/** The Backend API's session JSON as a zod schema for the API reference, held equal to the contract's type. */
import type { BackendSessionJSON } from "@foyer/contract";
import { z } from "zod";
import type { SameShape } from "../same-shape.js";

const ms = z.number().int().describe("Milliseconds since the epoch.");

export const backendSessionJsonSchema = z.object({
  object: z.literal("session"),
  id: z.string(),
  client_id: z.string(),
  user_id: z.string(),
  status: z
    .enum(["active", "ended", "revoked", "expired"])
    .describe("Right now: a lapsed `active` session is served as `expired`."),
  last_active_at: ms,
  expire_at: ms.describe(
    "When the session stops: its maximum lifetime or inactivity timeout, whichever is first.",
  ),
  abandon_at: ms,
  last_active_organization_id: z
    .string()
    .nullable()
    .describe("The session's active organization, also in its tokens' `o` claim; null when none."),
  actor: z.null(),
  created_at: ms,
  updated_at: ms,
});

export const sessionSchemaMatchesContract: SameShape<
  z.infer<typeof backendSessionJsonSchema>,
  BackendSessionJSON
> = true;
