import type { SessionTokenJSON } from "@foyer/contract";
import { errorMessage, isKnownCode } from "./error-words.js";
import { createFapi, FoyerError, type FoyerErrorCode } from "./fapi.js";
import { frontendApiFromKey } from "./publishable-key.js";
import type {
  ClientJSON,
  ExternalAccountJSON,
  OAuthConsentJSON,
  OrganizationJSON,
  OrganizationMembershipJSON,
  SessionJSON,
  SessionWithActivityJSON,
  UserJSON,
} from "./resources.js";
import { clearSessionCookie, writeSessionCookie } from "./session-cookie.js";
import { TokenKeeper } from "./token-keeper.js";

/** Options of `new Foyer(publishableKey, options)`. */
export interface FoyerOptions {
  /** Keep the `__session` cookie on the app's domain for server-rendered apps (default true). */
  sessionCookie?: boolean;
  /** A token is minted again this long before its exp (default 10 000 ms of its 60 s). */
  refreshLeewayMs?: number;
  /** fetch to use (default: the browser's). */
  fetch?: typeof fetch;
}

/**
 * The signed-in session of this browser: its Frontend API JSON plus `getToken()`, the fresh
 * session token to send to the app's server as `Authorization: Bearer`.
 */
export interface Session extends SessionJSON {
  /** A fresh session token (cached; minted again shortly before expiry), or null once signed out. */
  getToken(options?: { skipCache?: boolean }): Promise<string | null>;
  /** Signs this browser out of this session (Clerk's `session.end()`). */
  end(): Promise<void>;
}

/** One of the signed-in user's sessions, on any device, from `foyer.user.getSessions()`. */
export interface UserSession extends SessionWithActivityJSON {
  /** Ends that session (on whichever device it is); the list's `current` one signs this browser out. */
  revoke(): Promise<void>;
}

/** A linked Atlassian account of the signed-in user. */
export interface ExternalAccount extends ExternalAccountJSON {
  /**
   * Unlinks it. Refused with `external_account_last_sign_in_method` when it is the user's only
   * way to sign in. The user's other sessions are ended; this one stays.
   */
  destroy(): Promise<void>;
}

/** An OAuth client the user approved, from `foyer.user.getOAuthConsents()`. */
export interface OAuthConsent extends OAuthConsentJSON {
  /** Withdraws the approval (the same as `user.revokeOAuthConsent(client_id)`). */
  revoke(): Promise<void>;
}

/** The signed-in user: the Frontend API's JSON, plus what the user may do on their own side. */
export interface User extends UserJSON {
  /** The same accounts as `external_accounts`, each with `destroy()`. */
  externalAccounts: ExternalAccount[];
  /**
   * The user's live sessions on every device, most recently active first (`current` marks this
   * one). `{ includeEnded: true }`: ended, revoked and expired ones too (the latest 100), newest
   * first (`GET /v1/me/sessions`).
   */
  getSessions(options?: { includeEnded?: boolean }): Promise<UserSession[]>;
  /**
   * The OAuth clients (apps, MCP clients, CLIs) the user approved at the instance's authorization
   * server, one per client, newest approval first (`GET /v1/me/oauth_consents`).
   */
  getOAuthConsents(): Promise<OAuthConsent[]>;
  /**
   * Withdraws the user's approval of a client: its grant and every token issued under it end
   * (refresh tokens at once, access tokens at their expiry). Refused with `resource_not_found`
   * when there is none (`DELETE /v1/me/oauth_consents/{client_id}`).
   */
  revokeOAuthConsent(clientId: string): Promise<void>;
  /** Reads the profile again (`GET /v1/me`). */
  reload(): Promise<void>;
  /**
   * The user's organization memberships (e.g. one per Atlassian site of a site organization),
   * newest first, read again from the Frontend API; also kept in `foyer.organizationMemberships`.
   */
  getOrganizationMemberships(): Promise<OrganizationMembershipJSON[]>;
}

/** What listeners receive: the client, its active session and user (all null when signed out). */
export interface FoyerState {
  client: ClientJSON | null;
  session: Session | null;
  user: User | null;
  /** The session's active organization (null: none, or the memberships are not read yet). */
  organization: OrganizationJSON | null;
  /** The user's memberships once read (`load()` reads them when an organization is active). */
  organizationMemberships: OrganizationMembershipJSON[] | null;
}

/** Options of `foyer.setActive()`. */
export interface SetActiveOptions {
  /** The organization (`org_…`) to make active, or null for none. */
  organization: string | null;
}

/** Options of `foyer.signIn.atlassian()`. */
export interface SignInOptions {
  /** Where the browser lands after signing in; its origin must be one of the instance's allowed origins. */
  redirectUrl?: string;
  /**
   * "hosted" (default): go to the hosted sign-in page, which continues to Atlassian at once.
   * "api": start the sign-in with the Frontend API and go straight to Atlassian.
   */
  mode?: "hosted" | "api";
}

/** Options of `foyer.connect.atlassian()` (connect, reconnect, or add scopes and sites). */
export interface ConnectOptions {
  /** Scopes to ask for on top of the instance's own (e.g. ["read:jira-work"]). */
  additionalScopes?: string[];
  /** Where the browser lands afterwards; its origin must be one of the instance's allowed origins. */
  redirectUrl?: string;
  /** Go to Atlassian at once (default true); false only returns the URL. */
  navigate?: boolean;
  /**
   * The user's external account (`user.externalAccounts[i].id`) this consent is for: Reconnect
   * or more scopes for one account when several are linked. Atlassian cannot be told which
   * account to use (its page uses the one the browser is signed in to Atlassian with), so if
   * another account comes back nothing changes and the page returns with
   * `?foyer_error=external_account_mismatch`. Without it, any account is connected or refreshed.
   */
  externalAccountId?: string;
}

/** Answers that mean the session can no longer mint: the client's state must be reloaded. */
const SESSION_GONE = new Set<FoyerErrorCode>(["session_inactive", "session_not_found", "client_not_found"]);

/**
 * The browser SDK: `new Foyer(publishableKey)`, `await foyer.load()`, then `foyer.user`,
 * `foyer.session.getToken()`, `foyer.signIn.atlassian()`, `foyer.signOut()`.
 */
export class Foyer {
  readonly publishableKey: string;
  readonly frontendApi: string;
  loaded = false;
  client: ClientJSON | null = null;
  session: Session | null = null;
  user: User | null = null;
  /** The user's organization memberships once read; null before (and when signed out). */
  organizationMemberships: OrganizationMembershipJSON[] | null = null;
  /**
   * The error a sign-in or connect came back with (`?foyer_error=` on this page's address), in
   * words, read by `load()` and removed from the address bar; null when there was none.
   */
  redirectError: FoyerError | null = null;

  readonly signIn: { atlassian(options?: SignInOptions): Promise<void> };
  /**
   * For the signed-in user: connect Atlassian, reconnect a grant that needs it, or ask for more
   * scopes and sites (Clerk's createExternalAccount / reauthorize). Resolves to Atlassian's URL.
   */
  readonly connect: { atlassian(options?: ConnectOptions): Promise<string> };

  private readonly fapi: ReturnType<typeof createFapi>;
  private readonly tokens: TokenKeeper;
  private readonly listeners = new Set<(state: FoyerState) => void>();
  private readonly options: FoyerOptions;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  /** Whose memberships `organizationMemberships` holds (another user signed in: not theirs). */
  private organizationMembershipsOf: string | undefined;

  constructor(publishableKey: string, options: FoyerOptions = {}) {
    this.publishableKey = publishableKey;
    this.frontendApi = frontendApiFromKey(publishableKey);
    this.options = options;
    this.fapi = createFapi(this.frontendApi, options.fetch ?? globalThis.fetch.bind(globalThis));
    this.tokens = new TokenKeeper(
      this.frontendApi,
      async (sid) => {
        // The mint answers the token itself, not an envelope (as Clerk's does).
        const res = await this.fapi<unknown>("POST", `/v1/client/sessions/${encodeURIComponent(sid)}/tokens`);
        return (res as unknown as SessionTokenJSON).jwt;
      },
      options.refreshLeewayMs ?? 10_000,
      (sid, token) => {
        if (sid !== this.session?.id) return;
        if (this.options.sessionCookie !== false) writeSessionCookie(token.jwt, token.exp);
        this.scheduleRefresh(token.exp);
      },
    );
    this.signIn = { atlassian: (o) => this.signInWithAtlassian(o) };
    this.connect = { atlassian: (o) => this.connectAtlassian(o) };
  }

  /** Reads the browser's client (its sessions and user) from the Frontend API. */
  async load(): Promise<void> {
    this.redirectError = this.takeRedirectError();
    const { response } = await this.fapi<ClientJSON | null>("GET", "/v1/client");
    this.setClient(response);
    this.loaded = true;
    // The active organization's name and avatar are in the memberships: read them only when needed.
    // Not fatal: without them only `organization` is unknown, and useOrganizationList reads again.
    if (this.session?.last_active_organization_id) await this.readMemberships().catch(() => undefined);
    this.emit();
    // Mint the first token now, so the __session cookie is there for the app's server.
    if (this.session) await this.session.getToken();
  }

  /** The session's active organization, from the memberships read (null: none, or not read yet). */
  get organization(): OrganizationJSON | null {
    const id = this.session?.last_active_organization_id;
    if (!id) return null;
    return this.organizationMemberships?.find((m) => m.organization.id === id)?.organization ?? null;
  }

  /**
   * Switches the session's active organization (Clerk's `setActive({ organization })`), then
   * mints a token at once so the new `o` claim applies to the next request. Not a member: a
   * FoyerError `organization_membership_required`, and the active organization stays as it was.
   */
  async setActive(options: SetActiveOptions): Promise<void> {
    const session = this.session;
    if (!session) throw new FoyerError("session_inactive", 0, "There is no signed-in session to change.");
    const { client } = await this.fapi(
      "POST",
      `/v1/client/sessions/${encodeURIComponent(session.id)}/touch`,
      {
        active_organization_id: options.organization ?? "",
      },
    );
    this.setClient(client);
    if (this.session?.id !== session.id) {
      this.emit();
      return;
    }
    if (options.organization && !this.organization) await this.readMemberships();
    await this.tokens.renew(session.id);
    this.emit();
  }

  /** Calls `listener` now (when loaded) and whenever the client, session or user changes. */
  addListener(listener: (state: FoyerState) => void): () => void {
    this.listeners.add(listener);
    if (this.loaded) listener(this.state());
    return () => this.listeners.delete(listener);
  }

  /** Signs out of one session, or (default) of every session of this browser. */
  async signOut(options: { sessionId?: string } = {}): Promise<void> {
    if (options.sessionId) {
      const { client } = await this.fapi(
        "POST",
        `/v1/client/sessions/${encodeURIComponent(options.sessionId)}/end`,
      );
      this.tokens.forget(options.sessionId);
      this.setClient(client);
    } else {
      await this.fapi("DELETE", "/v1/client");
      this.tokens.forget();
      this.setClient(null);
    }
    this.emit();
  }

  /** Stops timers and the cross-tab channel (e.g. when a test or an SPA tears down). */
  destroy(): void {
    clearTimeout(this.refreshTimer);
    this.tokens.close();
    this.listeners.clear();
  }

  private state(): FoyerState {
    return {
      client: this.client,
      session: this.session,
      user: this.user,
      organization: this.organization,
      organizationMemberships: this.organizationMemberships,
    };
  }

  private emit(): void {
    for (const listener of this.listeners) listener(this.state());
  }

  private setClient(client: ClientJSON | null): void {
    this.client = client;
    const json = client?.sessions.find((s) => s.id === client.last_active_session_id) ?? null;
    this.session = json ? this.sessionFrom(json) : null;
    this.user = json?.user ? this.userFrom(json.user) : null;
    if (!this.user || this.user.id !== this.organizationMembershipsOf) {
      this.organizationMemberships = null;
      this.organizationMembershipsOf = this.user?.id;
    }
    if (!this.session) {
      clearTimeout(this.refreshTimer);
      if (this.options.sessionCookie !== false) clearSessionCookie();
    }
  }

  /** `?foyer_error=<code>` on this page, as a FoyerError in words; the parameter is removed. */
  private takeRedirectError(): FoyerError | null {
    if (typeof location === "undefined") return null;
    const url = new URL(location.href);
    const code = url.searchParams.get("foyer_error");
    if (!code) return null;
    url.searchParams.delete("foyer_error");
    try {
      history.replaceState(history.state, "", url.href);
    } catch {
      // Not fatal: the error is still reported.
    }
    return new FoyerError(isKnownCode(code) ? code : "invalid_response", 0, errorMessage(code));
  }

  /** Calls a user-side endpoint, then takes the client it answers (another tab may have changed it). */
  private async me<T>(method: "GET" | "POST" | "DELETE", path: string): Promise<T> {
    const sid = this.session?.id;
    const q = sid ? `?_clerk_session_id=${encodeURIComponent(sid)}` : "";
    const { response, client } = await this.fapi<T>(method, `${path}${q}`);
    if (client !== undefined) {
      this.setClient(client);
      this.emit();
    }
    return response;
  }

  private async readMemberships(): Promise<OrganizationMembershipJSON[]> {
    const userId = this.user?.id;
    const page = await this.me<{ data: OrganizationMembershipJSON[] }>(
      "GET",
      "/v1/me/organization_memberships",
    );
    if (userId && this.user?.id === userId) this.organizationMemberships = page.data;
    return page.data;
  }

  private async revokeConsent(clientId: string): Promise<void> {
    await this.me("DELETE", `/v1/me/oauth_consents/${encodeURIComponent(clientId)}`);
  }

  private userFrom(json: UserJSON): User {
    return {
      ...json,
      externalAccounts: json.external_accounts.map((account) => ({
        ...account,
        destroy: async () => {
          await this.me("DELETE", `/v1/me/external_accounts/${encodeURIComponent(account.id)}`);
        },
      })),
      getSessions: async (options = {}) => {
        const path = options.includeEnded ? "/v1/me/sessions" : "/v1/me/sessions/active";
        const list = await this.me<SessionWithActivityJSON[]>("GET", path);
        return list.map((s) => ({
          ...s,
          revoke: async () => {
            await this.me("POST", `/v1/me/sessions/${encodeURIComponent(s.id)}/revoke`);
            this.tokens.forget(s.id);
          },
        }));
      },
      getOAuthConsents: async () => {
        const list = await this.me<OAuthConsentJSON[]>("GET", "/v1/me/oauth_consents");
        return list.map((consent) => ({ ...consent, revoke: () => this.revokeConsent(consent.client_id) }));
      },
      revokeOAuthConsent: (clientId) => this.revokeConsent(clientId),
      reload: async () => {
        await this.me<UserJSON>("GET", "/v1/me");
      },
      getOrganizationMemberships: async () => {
        const list = await this.readMemberships();
        this.emit();
        return list;
      },
    };
  }

  private sessionFrom(json: SessionJSON): Session {
    return {
      ...json,
      end: () => this.signOut({ sessionId: json.id }),
      getToken: async (opts) => {
        if (this.session?.id !== json.id) return null;
        try {
          return await this.tokens.get(json.id, opts);
        } catch (err) {
          if (err instanceof FoyerError && SESSION_GONE.has(err.code)) {
            // Signed out elsewhere (another tab, a revocation): reflect it rather than fail.
            this.tokens.forget(json.id);
            const { response } = await this.fapi<ClientJSON | null>("GET", "/v1/client");
            this.setClient(response);
            this.emit();
            return null;
          }
          throw err;
        }
      },
    };
  }

  private scheduleRefresh(exp: number): void {
    clearTimeout(this.refreshTimer);
    const leeway = this.options.refreshLeewayMs ?? 10_000;
    const delay = Math.max(1000, exp * 1000 - Date.now() - leeway + 50);
    this.refreshTimer = setTimeout(() => this.refreshNow(0), delay);
  }

  /**
   * The background mint. A success reschedules itself (through onToken); a session that ended
   * is reported by getToken (listeners hear `session: null`). Any other failure (network, 5xx,
   * 429) is retried with back-off: giving up would leave a stale `__session` cookie, and a
   * revocation would only be noticed at the page's next explicit getToken, maybe never.
   */
  private refreshNow(failures: number): void {
    const session = this.session;
    if (!session) return;
    session.getToken({ skipCache: failures > 0 }).catch(() => {
      if (this.session?.id !== session.id) return;
      clearTimeout(this.refreshTimer);
      this.refreshTimer = setTimeout(
        () => this.refreshNow(failures + 1),
        Math.min(30_000, 1000 * 2 ** failures),
      );
    });
  }

  private async connectAtlassian(options: ConnectOptions = {}): Promise<string> {
    const redirectUrl = options.redirectUrl ?? (typeof location !== "undefined" ? location.href : undefined);
    const { response } = await this.fapi<{
      verification?: { external_verification_redirect_url?: string };
    }>("POST", "/v1/me/external_accounts", {
      strategy: "oauth_atlassian",
      ...(redirectUrl ? { redirect_url: redirectUrl } : {}),
      ...(options.additionalScopes?.length ? { additional_scopes: options.additionalScopes.join(" ") } : {}),
      ...(this.session ? { session_id: this.session.id } : {}),
      ...(options.externalAccountId ? { external_account_id: options.externalAccountId } : {}),
    });
    const next = response.verification?.external_verification_redirect_url;
    if (!next) throw new FoyerError("invalid_response", 200, "The connection did not name Atlassian's URL.");
    if (options.navigate !== false) location.assign(next);
    return next;
  }

  private async signInWithAtlassian(options: SignInOptions = {}): Promise<void> {
    const redirectUrl = options.redirectUrl ?? (typeof location !== "undefined" ? location.href : undefined);
    if (options.mode === "api") {
      const { response } = await this.fapi<{
        first_factor_verification?: { external_verification_redirect_url?: string };
      }>("POST", "/v1/client/sign_ins", {
        strategy: "oauth_atlassian",
        ...(redirectUrl ? { redirect_url: redirectUrl } : {}),
      });
      const next = response.first_factor_verification?.external_verification_redirect_url;
      if (!next) throw new FoyerError("invalid_response", 200, "The sign-in did not name Atlassian's URL.");
      location.assign(next);
      return;
    }
    const url = new URL(`${this.frontendApi}/sign-in`);
    if (redirectUrl) url.searchParams.set("redirect_url", redirectUrl);
    url.searchParams.set("auto", "1");
    location.assign(url.href);
  }
}
