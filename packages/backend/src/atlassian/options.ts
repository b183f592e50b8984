/** Options of the `atlassian` part of createFoyerClient (`FoyerClientOptions.atlassian`). */
export interface AtlassianFetchOptions {
  /** fetch for Atlassian's API (default: the global one). The Backend API keeps `FoyerClientOptions.fetch`. */
  fetch?: typeof fetch;
  /**
   * The longest Retry-After (ms) a 429 or 503 is waited out for before retrying (default 10 000).
   * A longer one is not waited for: the response comes back with its `rateLimit`.
   */
  maxRetryWaitMs?: number;
  /** How many times a 429 or 503 is retried (default 2). */
  maxRateLimitRetries?: number;
  /** Per-request timeout of each Atlassian call (default 30 000 ms). */
  timeoutMs?: number;
  /** The clock compared with a token's `expires_at_ms` (default Date.now). */
  now?: () => number;
}
