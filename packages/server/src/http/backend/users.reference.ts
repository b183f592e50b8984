/** API reference entries of `users.ts` (paths relative to its router, mounted at /v1). */

import { z } from "zod";
import { userListQuerySchema } from "../../users/list-users.js";
import { metadataSchema, updateUserSchema } from "../../users/update-user.js";
import { backendUserJsonSchema } from "../../users/user-json-schema.js";
import { deletedObjectJsonSchema, totalCountJsonSchema } from "../reference/envelope-schemas.js";
import type { RouteDoc } from "../reference/route-doc.js";

const user = { status: 200, description: "The user.", schema: backendUserJsonSchema };

const restriction = (action: string, what: string): RouteDoc => ({
  method: "post",
  path: `/users/:userId/${action}`,
  summary: `${action[0]!.toUpperCase()}${action.slice(1)} a user`,
  description: what,
  response: user,
  errors: ["resource_not_found"],
});

export const userRouteDocs: RouteDoc[] = [
  {
    method: "get",
    path: "/users",
    summary: "List users",
    description: "Newest first unless `order_by` says otherwise; filters combine with AND.",
    query: userListQuerySchema,
    response: {
      status: 200,
      description: "The users (a plain array, as Clerk's API answers).",
      schema: z.array(backendUserJsonSchema),
    },
  },
  {
    method: "get",
    path: "/users/count",
    summary: "Count users",
    description: "The same filters as the list; paging and order are ignored.",
    query: userListQuerySchema,
    response: { status: 200, description: "How many users match.", schema: totalCountJsonSchema },
  },
  {
    method: "get",
    path: "/users/:userId",
    summary: "Get a user",
    response: user,
    errors: ["resource_not_found"],
  },
  {
    method: "patch",
    path: "/users/:userId",
    summary: "Update a user",
    description: "Replaces the fields given; null clears a name or the username.",
    body: updateUserSchema,
    response: user,
    errors: ["resource_not_found", "form_identifier_exists"],
  },
  {
    method: "patch",
    path: "/users/:userId/metadata",
    summary: "Merge a user's metadata",
    description:
      "Deep-merges into what is stored; a null value removes its key. Each object is at most 8 KB of JSON.",
    body: metadataSchema,
    response: user,
    errors: ["resource_not_found"],
  },
  restriction("ban", "Ends every session; no sign-in and no Atlassian token until unbanned."),
  restriction("unban", "Lets a banned user sign in again."),
  restriction("lock", "Like a ban, meant to be temporary."),
  restriction("unlock", "Lets a locked user sign in again."),
  {
    method: "delete",
    path: "/users/:userId",
    summary: "Delete a user",
    description: "With the user's sessions, email addresses and Atlassian accounts.",
    response: {
      status: 200,
      description: "The deleted object (`object: user`).",
      schema: deletedObjectJsonSchema,
    },
    errors: ["resource_not_found"],
  },
  {
    method: "delete",
    path: "/users/:userId/external_accounts/:externalAccountId",
    summary: "Unlink an Atlassian account",
    response: {
      status: 200,
      description: "The deleted object (`object: external_account`).",
      schema: deletedObjectJsonSchema,
    },
    errors: ["resource_not_found"],
  },
];
