import { createHmac, hkdfSync } from "node:crypto";
import type Provider from "oidc-provider";
import { safeEqual } from "../crypto/random.js";
import type { Services } from "../services.js";

/**
 * The consent step of an authorization: what the user is asked to approve, and the grant their
 * approval becomes. oidc-provider says what the request needs beyond the grant the user already
 * has for this client (loadExistingGrant in provider.ts); approving adds exactly that.
 */
type Details = Awaited<ReturnType<Provider["interactionDetails"]>>;

export interface ConsentRequest {
  uid: string;
  clientId: string;
  redirectUri: string;
  scopes: string[];
  resource: string | undefined;
}

export function consentRequestOf(details: Details): ConsentRequest {
  const p = details.params as Record<string, unknown>;
  const resource = Array.isArray(p.resource) ? String(p.resource[0]) : (p.resource as string | undefined);
  return {
    uid: details.uid,
    clientId: String(p.client_id),
    redirectUri: String(p.redirect_uri),
    scopes: String(p.scope ?? "")
      .split(" ")
      .filter(Boolean),
    resource,
  };
}

/** Saves the user's approval as a grant (the existing one, widened, or a new one); returns the result to finish with. */
export async function approveConsent(
  provider: Provider,
  details: Details,
  accountId: string,
): Promise<{ consent: { grantId: string } }> {
  const clientId = String(details.params.client_id);
  const existing = details.grantId ? await provider.Grant.find(details.grantId) : undefined;
  const grant =
    existing && existing.accountId === accountId ? existing : new provider.Grant({ accountId, clientId });
  const missing = (details.prompt.details ?? {}) as {
    missingOIDCScope?: string[];
    missingOIDCClaims?: string[];
    missingResourceScopes?: Record<string, string[]>;
  };
  if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(" "));
  if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
  for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {})) {
    grant.addResourceScope(indicator, scopes.join(" "));
  }
  return { consent: { grantId: await grant.save() } };
}

/**
 * The browser's Foyer user is not the one oidc-provider's own session remembers (another user
 * signed in to Foyer in this browser). oidc-provider would end its session through a logout
 * that also revokes the previous user's grants of session-bound clients; the previous user's
 * approvals are theirs to keep, so the provider session is dropped here instead, and the
 * interaction detached from it, before the login as the new user.
 */
export async function forgetProviderSession(provider: Provider, details: Details): Promise<void> {
  const cookie = (details.session as { cookie?: string } | undefined)?.cookie;
  if (cookie) await provider.Session.adapter.destroy(cookie);
  const interaction = await provider.Interaction.find(details.uid);
  if (interaction?.session) {
    interaction.session = undefined;
    await interaction.save(interaction.exp - Math.floor(Date.now() / 1000));
  }
}

/**
 * The consent form's CSRF token: bound to the interaction and the signed-in user, keyed by a key
 * derived from the encryption key, so a page of another site can neither read nor make one.
 */
export function consentFormToken(svc: Services, instanceId: string, uid: string, userId: string): string {
  const ikm = Buffer.from(svc.config.encryptionKey!, "base64");
  const key = Buffer.from(hkdfSync("sha256", ikm, instanceId, "foyer authorization-server consent form", 32));
  return createHmac("sha256", key).update(`${uid}\n${userId}`).digest("base64url");
}

export function consentFormTokenValid(
  svc: Services,
  instanceId: string,
  uid: string,
  userId: string,
  token: string | undefined,
): boolean {
  return token !== undefined && safeEqual(token, consentFormToken(svc, instanceId, uid, userId));
}
