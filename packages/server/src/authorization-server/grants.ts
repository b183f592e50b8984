import type { Services } from "../services.js";
import { payloadKey } from "./payload-store.js";

/**
 * A user's approvals of clients: oidc-provider's Grant rows (payload-store.ts keeps the user and
 * client of each). Revoking one removes the grant and, with it, every code and token issued
 * under it, so the client's refresh token is dead at once and its access token at its expiry
 * (access tokens are JWTs, verified without asking Foyer; they live an hour).
 */
export interface ApprovedClient {
  grant_id: string;
  client_id: string;
  scopes: string[];
  resources: Record<string, string[]>;
  created_at: number;
}

interface GrantPayload {
  jti: string;
  clientId: string;
  openid?: { scope?: string };
  resources?: Record<string, string>;
}

function grantRows(svc: Services, instanceId: string) {
  return svc.db.kysely
    .selectFrom("oauth_server_payloads")
    .select(["payload_json", "client_id", "account_id", "created_at", "expires_at"])
    .where("instance_id", "=", instanceId)
    .where("model", "=", "Grant")
    .where((eb) => eb.or([eb("expires_at", "is", null), eb("expires_at", ">", svc.now())]));
}

/** The newest live grant of this user for this client, if any. */
export async function latestGrantId(
  svc: Services,
  instanceId: string,
  accountId: string,
  clientId: string,
): Promise<string | undefined> {
  const row = await grantRows(svc, instanceId)
    .where("account_id", "=", accountId)
    .where("client_id", "=", clientId)
    .orderBy("created_at", "desc")
    .executeTakeFirst();
  return row ? (JSON.parse(row.payload_json) as GrantPayload).jti : undefined;
}

function approvedClient(row: { payload_json: string; created_at: number }): ApprovedClient {
  const p = JSON.parse(row.payload_json) as GrantPayload;
  const split = (s: string | undefined) => (s ? s.split(" ").filter(Boolean) : []);
  return {
    grant_id: p.jti,
    client_id: p.clientId,
    scopes: split(p.openid?.scope),
    resources: Object.fromEntries(Object.entries(p.resources ?? {}).map(([r, s]) => [r, split(s)])),
    created_at: row.created_at,
  };
}

/** The clients a user approved (newest first). */
export async function approvedClientsOf(
  svc: Services,
  instanceId: string,
  userId: string,
): Promise<ApprovedClient[]> {
  const rows = await grantRows(svc, instanceId)
    .where("account_id", "=", userId)
    .orderBy("created_at", "desc")
    .execute();
  return rows.map(approvedClient);
}

/** Every live grant of an instance, for the Platform API (newest first, at most `limit`). */
export async function grantsOfInstance(
  svc: Services,
  instanceId: string,
  limit: number,
): Promise<Array<ApprovedClient & { user_id: string }>> {
  const rows = await grantRows(svc, instanceId).orderBy("created_at", "desc").limit(limit).execute();
  return rows.map((r) => ({ ...approvedClient(r), user_id: r.account_id ?? "" }));
}

/**
 * Withdraws a user's approval of a client: every grant of theirs for it, and every code and
 * token issued under those grants. False when there was none.
 */
export async function revokeApproval(
  svc: Services,
  instanceId: string,
  userId: string,
  clientId: string,
): Promise<boolean> {
  return svc.db.kysely.transaction().execute(async (trx) => {
    const grants = await trx
      .selectFrom("oauth_server_payloads")
      .select("payload_json")
      .where("instance_id", "=", instanceId)
      .where("model", "=", "Grant")
      .where("account_id", "=", userId)
      .where("client_id", "=", clientId)
      .execute();
    const ids = grants.map((g) => (JSON.parse(g.payload_json) as GrantPayload).jti);
    if (ids.length === 0) return false;
    await trx
      .deleteFrom("oauth_server_payloads")
      .where("instance_id", "=", instanceId)
      .where((eb) =>
        eb.or([
          eb("grant_id", "in", ids),
          eb.and([eb("model", "=", "Grant"), eb("account_id", "=", userId), eb("client_id", "=", clientId)]),
        ]),
      )
      .execute();
    return true;
  });
}

/**
 * Revokes one grant (the operator's revoke in the dashboard), with every code and token issued
 * under it, whoever's it is. False when no such grant.
 */
export async function revokeGrant(svc: Services, instanceId: string, grantId: string): Promise<boolean> {
  return svc.db.kysely.transaction().execute(async (trx) => {
    const deleted = await trx
      .deleteFrom("oauth_server_payloads")
      .where("instance_id", "=", instanceId)
      .where("model", "=", "Grant")
      .where("id_hash", "=", payloadKey(grantId))
      .executeTakeFirst();
    if (deleted.numDeletedRows === 0n) return false;
    await trx
      .deleteFrom("oauth_server_payloads")
      .where("instance_id", "=", instanceId)
      .where("grant_id", "=", grantId)
      .execute();
    return true;
  });
}

/** A client registered dynamically (RFC 7591), as the dashboard lists it. */
export interface RegisteredClientSummary {
  client_id: string;
  name: string;
  redirect_uris: string[];
  created_at: number;
}

/** The instance's dynamically registered clients (oidc-provider's stored `Client` rows), newest first. */
export async function dynamicClientsOf(
  svc: Services,
  instanceId: string,
): Promise<RegisteredClientSummary[]> {
  const rows = await svc.db.kysely
    .selectFrom("oauth_server_payloads")
    .select(["payload_json", "created_at"])
    .where("instance_id", "=", instanceId)
    .where("model", "=", "Client")
    .where((eb) => eb.or([eb("expires_at", "is", null), eb("expires_at", ">", svc.now())]))
    .orderBy("created_at", "desc")
    .limit(500)
    .execute();
  return rows.map((r) => {
    const p = JSON.parse(r.payload_json) as {
      client_id?: string;
      client_name?: string;
      redirect_uris?: string[];
    };
    const clientId = p.client_id ?? "";
    return {
      client_id: clientId,
      name: p.client_name ?? clientId,
      redirect_uris: p.redirect_uris ?? [],
      created_at: r.created_at,
    };
  });
}
