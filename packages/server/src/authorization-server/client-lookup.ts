import type { Instance } from "../instances/instances.js";
import type { Services } from "../services.js";
import { fetchClientMetadataDocument, looksLikeClientIdUrl } from "./client-metadata-document.js";
import { clientMetadataOf, findOAuthApplicationByClientId, hashClientSecret } from "./oauth-applications.js";
import { type Payload, type PayloadAdapter, payloadAdapter } from "./payload-store.js";

/**
 * oidc-provider's `Client` storage for one instance. A client_id is, in order: a pre-registered
 * OAuth application (Platform API), a client registered dynamically (RFC 7591, when the instance
 * allows it), or a Client ID Metadata Document URL. Secrets are stored as hashes only: a
 * registration's secret is hashed here before it is written (the registration answer, built
 * from memory, still shows it once), and provider.ts compares hashes at client authentication.
 */
export function clientAdapter(svc: Services, instance: Instance): PayloadAdapter {
  const registered = payloadAdapter(svc, instance.id, "Client");
  return {
    ...registered,
    async upsert(id, payload, expiresIn) {
      const stored: Payload = { ...payload };
      if (typeof stored.client_secret === "string")
        stored.client_secret = hashClientSecret(stored.client_secret);
      await registered.upsert(id, stored, expiresIn);
    },
    async find(id) {
      const app = await findOAuthApplicationByClientId(svc, instance.id, id);
      if (app) return clientMetadataOf(app);
      const dynamic = await registered.find(id);
      if (dynamic) return dynamic;
      if (!looksLikeClientIdUrl(id)) return undefined;
      const document = await fetchClientMetadataDocument(svc, instance, id);
      return document.ok ? document.metadata : undefined;
    },
  };
}

/** How the consent page and the approvals list name a client: its registered name, and the host behind a metadata URL. */
export async function clientDisplay(
  provider: { Client: { find(id: string): Promise<{ clientName?: string } | undefined> } },
  clientId: string,
): Promise<{ name: string; host: string | undefined }> {
  const host = looksLikeClientIdUrl(clientId) ? new URL(clientId).host : undefined;
  const client = await provider.Client.find(clientId);
  return { name: client?.clientName ?? host ?? clientId, host };
}

/**
 * A client's name and host without fetching anything: its registered name (a metadata
 * document's host stands in for a name), and the host its first redirect URI goes to, or the
 * metadata document's host, so a user can tell two clients of one name apart.
 */
export async function clientSummaryOf(
  svc: Services,
  instance: Instance,
  clientId: string,
): Promise<{ name: string; host: string | null }> {
  const hostOf = (uri: unknown) => {
    try {
      return typeof uri === "string" ? new URL(uri).host || null : null;
    } catch {
      return null;
    }
  };
  const app = await findOAuthApplicationByClientId(svc, instance.id, clientId);
  if (app) return { name: app.name, host: hostOf((JSON.parse(app.redirect_uris) as string[])[0]) };
  const dynamic = await payloadAdapter(svc, instance.id, "Client").find(clientId);
  if (typeof dynamic?.client_name === "string") {
    const uris = Array.isArray(dynamic.redirect_uris) ? dynamic.redirect_uris : [];
    return { name: dynamic.client_name, host: hostOf(uris[0]) };
  }
  if (looksLikeClientIdUrl(clientId)) return { name: new URL(clientId).host, host: new URL(clientId).host };
  return { name: clientId, host: null };
}

/** A client's name without fetching anything (a metadata document's host stands in for its name). */
export async function clientNameOf(svc: Services, instance: Instance, clientId: string): Promise<string> {
  return (await clientSummaryOf(svc, instance, clientId)).name;
}
