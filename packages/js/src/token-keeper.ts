/**
 * Keeps one fresh session token per session. A token is reused until `leewayMs` before its exp,
 * then minted again. Concurrent callers share one mint; across tabs, `navigator.locks` lets one
 * tab mint at a time and a BroadcastChannel hands the new token to the others, so N open tabs do
 * not mint N tokens a minute. Both are optional: without them each tab mints for itself.
 */
export interface CachedToken {
  jwt: string;
  /** exp claim, seconds. */
  exp: number;
}

interface TokenMessage {
  sid: string;
  jwt: string;
}

export function expOf(jwt: string): number {
  const part = jwt.split(".")[1] ?? "";
  const json = atob(
    part
      .replace(/-/g, "+")
      .replace(/_/g, "/")
      .padEnd(Math.ceil(part.length / 4) * 4, "="),
  );
  const exp = (JSON.parse(json) as { exp?: unknown }).exp;
  if (typeof exp !== "number") throw new Error("Foyer: the session token has no exp.");
  return exp;
}

export class TokenKeeper {
  private readonly cache = new Map<string, CachedToken>();
  private readonly inflight = new Map<string, Promise<string>>();
  private readonly channel: BroadcastChannel | undefined;

  constructor(
    private readonly scope: string,
    private readonly mint: (sid: string) => Promise<string>,
    private readonly leewayMs: number,
    private readonly onToken: (sid: string, token: CachedToken) => void,
  ) {
    this.channel =
      typeof BroadcastChannel === "function" ? new BroadcastChannel(`foyer:tokens:${scope}`) : undefined;
    this.channel?.addEventListener("message", (e: MessageEvent<TokenMessage>) => {
      if (typeof e.data?.sid === "string" && typeof e.data.jwt === "string")
        this.accept(e.data.sid, e.data.jwt);
    });
  }

  /** The cached token if still fresh enough to hand out. */
  fresh(sid: string): CachedToken | undefined {
    const t = this.cache.get(sid);
    return t && t.exp * 1000 - Date.now() > this.leewayMs ? t : undefined;
  }

  private accept(sid: string, jwt: string): CachedToken {
    const token = { jwt, exp: expOf(jwt) };
    const current = this.cache.get(sid);
    if (!current || current.exp <= token.exp) {
      this.cache.set(sid, token);
      this.onToken(sid, token);
    }
    return this.cache.get(sid)!;
  }

  async get(sid: string, opts: { skipCache?: boolean } = {}): Promise<string> {
    if (!opts.skipCache) {
      const cached = this.fresh(sid);
      if (cached) return cached.jwt;
    }
    let pending = this.inflight.get(sid);
    if (!pending) {
      pending = this.mintOnce(sid, opts.skipCache === true).finally(() => this.inflight.delete(sid));
      this.inflight.set(sid, pending);
    }
    return pending;
  }

  private async mintOnce(sid: string, force: boolean): Promise<string> {
    const run = async () => {
      // Another tab may have minted while this one waited for the lock.
      const cached = force ? undefined : this.fresh(sid);
      if (cached) return cached.jwt;
      const jwt = await this.mint(sid);
      this.accept(sid, jwt);
      this.channel?.postMessage({ sid, jwt } satisfies TokenMessage);
      return jwt;
    };
    const locks = typeof navigator !== "undefined" ? navigator.locks : undefined;
    return locks ? locks.request(`foyer:token:${this.scope}:${sid}`, run) : run();
  }

  /**
   * A token minted after now (the session's claims just changed): one already on its way may
   * carry the old claims, so it is waited for and not used.
   */
  async renew(sid: string): Promise<string> {
    await this.inflight.get(sid)?.catch(() => undefined);
    this.cache.delete(sid);
    return this.get(sid, { skipCache: true });
  }

  forget(sid?: string): void {
    if (sid) this.cache.delete(sid);
    else this.cache.clear();
  }

  close(): void {
    this.channel?.close();
  }
}
