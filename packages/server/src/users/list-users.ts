/**
 * `GET /v1/users` and `GET /v1/users/count` in Clerk's manner: limit/offset paging, exact
 * `email_address` and `user_id` filters (repeatable), a `query` substring search over names,
 * emails, user ids and Atlassian account ids, `needs_reconnect` (users whose Atlassian grant
 * died and who must consent again), and an allow-listed `order_by`. Every query is confined to
 * the secret key's instance.
 */
import { type ExpressionBuilder, type SelectQueryBuilder, sql } from "kysely";
import type { Database, UserTable } from "../db/schema.js";
import { ApiError } from "../errors/api-error.js";
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

function invalid(param: string, longMessage: string): ApiError {
  return new ApiError("query_param_invalid", { longMessage, meta: { param_name: param } });
}

function integer(params: URLSearchParams, name: string, fallback: number, min: number, max: number) {
  const raw = params.get(name);
  if (raw === null || raw === "") return fallback;
  if (!/^\d{1,9}$/.test(raw)) throw invalid(name, `${name} must be a whole number.`);
  const n = Number(raw);
  if (n < min || n > max) throw invalid(name, `${name} must be from ${min} to ${max}.`);
  return n;
}

function list(params: URLSearchParams, name: string): string[] {
  const values = params
    .getAll(name)
    .map((v) => v.trim())
    .filter(Boolean);
  if (values.length > MAX_FILTER_VALUES) throw invalid(name, `At most ${MAX_FILTER_VALUES} ${name} values.`);
  return values;
}

function flag(params: URLSearchParams, name: string): boolean | undefined {
  const raw = params.get(name);
  if (raw === null || raw === "") return undefined;
  if (raw !== "true" && raw !== "false") throw invalid(name, `${name} must be true or false.`);
  return raw === "true";
}

/** Parses the list/count query string; anything outside the allow-lists is a 400 with a code. */
export function parseUserListQuery(params: URLSearchParams): UserListQuery {
  // A "+" in a query string decodes to a space, so "+created_at" arrives as " created_at".
  const rawOrder = (params.get("order_by") ?? "-created_at").replace(/^ /, "+");
  const m = /^([+-]?)([a-z_]+)$/.exec(rawOrder);
  if (!m || !Object.hasOwn(ORDER_FIELDS, m[2]!)) {
    throw invalid(
      "order_by",
      `order_by must be one of ${Object.keys(ORDER_FIELDS).join(", ")}, optionally prefixed with + or -.`,
    );
  }
  const query = params.get("query")?.trim() || undefined;
  if (query && query.length > MAX_QUERY_LENGTH) {
    throw invalid("query", `query must be at most ${MAX_QUERY_LENGTH} characters.`);
  }
  return {
    limit: integer(params, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT),
    offset: integer(params, "offset", 0, 0, 100_000_000),
    emailAddresses: list(params, "email_address").map((e) => e.toLowerCase()),
    userIds: list(params, "user_id"),
    query,
    needsReconnect: flag(params, "needs_reconnect"),
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
