/**
 * `GET /v1/users` and `GET /v1/users/count` in Clerk's manner: limit/offset paging, exact
 * `email_address` and `user_id` filters (repeatable), a `query` substring search over names,
 * emails, user ids and Atlassian account ids, `needs_reconnect` (users whose Atlassian grant
 * died and who must consent again), and an allow-listed `order_by`. Every query is confined to
 * the secret key's instance.
 */
import { type ExpressionBuilder, type SelectQueryBuilder, sql } from "kysely";
import { z } from "zod";
import type { Database, UserTable } from "../db/schema.js";
import { integerParam, queryParamInvalid } from "../errors/query-param.js";
import type { Services } from "../services.js";

export const DEFAULT_LIMIT = 10;
export const MAX_LIMIT = 500;
const MAX_FILTER_VALUES = 100;
const MAX_QUERY_LENGTH = 200;

/** Sortable fields. Nullable ones sort their nulls last in both directions, on both databases. */
const ORDER_FIELDS = {
  created_at: { nullable: false },
  updated_at: { nullable: false },
  last_sign_in_at: { nullable: true },
  first_name: { nullable: true },
  last_name: { nullable: true },
  username: { nullable: true },
} as const;
type OrderField = keyof typeof ORDER_FIELDS;

export interface UserListQuery {
  limit: number;
  offset: number;
  emailAddresses: string[];
  userIds: string[];
  query: string | undefined;
  /** true: only users who must reconnect Atlassian; false: only the others; undefined: everyone. */
  needsReconnect?: boolean;
  orderBy: { field: OrderField; direction: "asc" | "desc" };
}

function list(name: string, description: string) {
  return z
    .array(z.string().trim())
    .max(MAX_FILTER_VALUES, { error: `At most ${MAX_FILTER_VALUES} ${name} values.` })
    .transform((values) => values.filter(Boolean))
    .optional()
    .describe(`${description} Repeat the parameter for several values.`);
}

/** Query parameters given once each; the others repeat (`?user_id=a&user_id=b`). */
const REPEATABLE = new Set(["email_address", "user_id"]);

/**
 * The list/count query string: what the route validates with and what the API reference shows.
 * Parameters it does not name are ignored (SDKs send paging flags the count does not use).
 */
export const userListQuerySchema = z.object({
  limit: integerParam("limit", DEFAULT_LIMIT, 1, MAX_LIMIT),
  offset: integerParam("offset", 0, 0, 100_000_000),
  order_by: z
    .string()
    .regex(new RegExp(`^[+-]?(${Object.keys(ORDER_FIELDS).join("|")})$`), {
      error: `order_by must be one of ${Object.keys(ORDER_FIELDS).join(", ")}, optionally prefixed with + or -.`,
    })
    .default("-created_at")
    .describe("A field, prefixed with - for descending order (+ or nothing: ascending)."),
  query: z
    .string()
    .trim()
    .max(MAX_QUERY_LENGTH, { error: `query must be at most ${MAX_QUERY_LENGTH} characters.` })
    .optional()
    .describe("A substring of a name, username, email address, user id or Atlassian account id."),
  email_address: list("email_address", "Exact email addresses (case-insensitive)."),
  user_id: list("user_id", "Exact user ids."),
  needs_reconnect: z
    .enum(["true", "false"], { error: "needs_reconnect must be true or false." })
    .optional()
    .describe(
      "true: only users whose Atlassian grant died and who must consent again; false: only the others.",
    ),
});

/** Parses the list/count query string; anything outside the allow-lists is a 400 with a code. */
export function parseUserListQuery(params: URLSearchParams): UserListQuery {
  const raw: Record<string, unknown> = {};
  for (const name of Object.keys(userListQuerySchema.shape)) {
    if (REPEATABLE.has(name)) raw[name] = params.getAll(name);
    // An empty value is an absent one, as before: `?limit=` pages by the default.
    else if (params.get(name)) raw[name] = params.get(name);
  }
  // A "+" in a query string decodes to a space, so "+created_at" arrives as " created_at".
  if (typeof raw.order_by === "string") raw.order_by = raw.order_by.replace(/^ /, "+");
  const parsed = userListQuerySchema.safeParse(raw);
  if (!parsed.success) throw queryParamInvalid(parsed.error);
  const q = parsed.data;
  const m = /^([+-]?)([a-z_]+)$/.exec(q.order_by)!;
  return {
    limit: q.limit,
    offset: q.offset,
    emailAddresses: (q.email_address ?? []).map((e) => e.toLowerCase()),
    userIds: q.user_id ?? [],
    query: q.query || undefined,
    needsReconnect: q.needs_reconnect === undefined ? undefined : q.needs_reconnect === "true",
    orderBy: { field: m[2] as OrderField, direction: m[1] === "-" ? "desc" : "asc" },
  };
}

/** `%` and `_` in a search are literal characters, not wildcards. */
function likePattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

function filtered(
  svc: Services,
  instanceId: string,
  q: Omit<UserListQuery, "limit" | "offset" | "orderBy">,
): SelectQueryBuilder<Database, "users", object> {
  let qb = svc.db.kysely.selectFrom("users").where("users.instance_id", "=", instanceId);
  if (q.userIds.length > 0) qb = qb.where("users.id", "in", q.userIds);
  if (q.emailAddresses.length > 0) {
    qb = qb.where("users.id", "in", (eb) =>
      eb
        .selectFrom("email_addresses")
        .select("email_addresses.user_id")
        .where("email_addresses.instance_id", "=", instanceId)
        .where(sql<string>`lower(email_addresses.email_address)`, "in", q.emailAddresses),
    );
  }
  if (q.needsReconnect !== undefined) {
    const needing = (eb: ExpressionBuilder<Database, "users">) =>
      eb
        .selectFrom("external_accounts")
        .select("external_accounts.user_id")
        .where("external_accounts.instance_id", "=", instanceId)
        .where("external_accounts.status", "=", "reauthorization_required");
    qb = qb.where("users.id", q.needsReconnect ? "in" : "not in", needing);
  }
  if (q.query) {
    const pattern = likePattern(q.query);
    const like = (column: string) => sql<boolean>`lower(${sql.ref(column)}) like ${pattern} escape '\\'`;
    qb = qb.where((eb: ExpressionBuilder<Database, "users">) =>
      eb.or([
        eb("users.id", "=", q.query!),
        like("users.first_name"),
        like("users.last_name"),
        like("users.username"),
        eb(
          "users.id",
          "in",
          eb
            .selectFrom("email_addresses")
            .select("email_addresses.user_id")
            .where("email_addresses.instance_id", "=", instanceId)
            .where(like("email_addresses.email_address")),
        ),
        eb(
          "users.id",
          "in",
          eb
            .selectFrom("external_accounts")
            .select("external_accounts.user_id")
            .where("external_accounts.instance_id", "=", instanceId)
            .where(like("external_accounts.provider_user_id")),
        ),
      ]),
    );
  }
  return qb;
}

export async function listUsers(svc: Services, instanceId: string, q: UserListQuery): Promise<UserTable[]> {
  const { field, direction } = q.orderBy;
  const column = sql.ref(`users.${field}`);
  const order = direction === "desc" ? sql`desc` : sql`asc`;
  const nulls = ORDER_FIELDS[field].nullable ? sql` nulls last` : sql``;
  return (
    filtered(svc, instanceId, q)
      .selectAll("users")
      .orderBy(sql`${column} ${order}${nulls}`)
      // The id breaks ties, so paging through equal timestamps neither repeats nor skips anyone.
      .orderBy(sql`${sql.ref("users.id")} ${order}`)
      .limit(q.limit)
      .offset(q.offset)
      .execute()
  );
}

export async function countUsers(
  svc: Services,
  instanceId: string,
  q: Omit<UserListQuery, "limit" | "offset" | "orderBy">,
): Promise<number> {
  const row = await filtered(svc, instanceId, q)
    .select((eb) => eb.fn.countAll<number | string>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
