import type { Context, MiddlewareHandler } from "hono";
import { safeEqual } from "../crypto/random.js";
import { ApiError } from "../errors/api-error.js";
import { recordSecurityEvent, type SecurityEventKind } from "../events/security-events.js";
import type { Instance } from "../instances/instances.js";
import { instanceForSecretKey } from "../instances/secret-keys.js";
import type { WindowCounter } from "../limits/shared-limits.js";
import type { Services } from "../services.js";
import { clientIp } from "./client-ip.js";
import { LIMITS, rateLimited } from "./rate-limit.js";

export type InstanceEnv = { Variables: { instance: Instance } };

/** The bearer credential, from the Authorization header only (never a query string or body). */
export function bearer(header: string | undefined): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
  return m?.[1];
}

/** Wrong secret keys one source may send a minute before it is refused outright. */
export const SECRET_KEY_FAILURES_PER_MINUTE = 30;
/**
 * Wrong platform tokens one source may send a minute (Platform API and dashboard sign-in
 * together, so switching between them earns nothing), before it is refused outright.
 */
export const PLATFORM_TOKEN_FAILURES_PER_MINUTE = 10;

/**
 * A brake on one credential's failures per source, shared by every process (svc.limits):
 * `refuse` throws 429 with Retry-After while the source's failures are spent, even before the
 * credential is looked at (a right one included, until the bucket refills); `failed` counts one
 * and records the episode as one security event when this failure spent the bucket.
 */
export interface FailureThrottle {
  sourceOf(c: Context): string | undefined;
  refuse(source: string | undefined): void;
  failed(source: string | undefined): Promise<void>;
}

/** How long a failure's answer waits for the shared store before it goes out anyway. */
const FAILURE_SYNC_WAIT_MS = 250;

function syncedOrLate(sync: Promise<void>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, FAILURE_SYNC_WAIT_MS);
    timer.unref();
  });
  return Promise.race([sync.catch(() => undefined), late]).finally(() => clearTimeout(timer));
}

export function failureThrottle(
  svc: Services,
  counter: WindowCounter,
  kind: SecurityEventKind,
  longMessage: string,
): FailureThrottle {
  const ipOf = clientIp(svc.config.trustProxy);
  return {
    sourceOf: ipOf,
    refuse(source) {
      const wait = source ? counter.blocked(source) : undefined;
      if (wait !== undefined) throw rateLimited(wait, longMessage);
    },
    async failed(source) {
      if (!source) return;
      const spent = counter.fail(source);
      // The refusal waits for this failure to reach the shared store (and for the deployment's
      // count to come back): failures are the slow path anyway, and a guesser alternating
      // between processes then gains about one try per process instead of one per sync's
      // round trip (which grows with load). Bounded, so a stalled store cannot hold the answer.
      await syncedOrLate(svc.limits.flush());
      if (spent) await recordSecurityEvent(svc, { kind, instanceId: undefined, clientIp: source });
    },
  };
}

/** The platform token's throttle: one per process, for the Platform API and the dashboard. */
export function platformTokenThrottle(svc: Services): FailureThrottle {
  return failureThrottle(
    svc,
    svc.limits.counter(LIMITS.platformTokenFailures, PLATFORM_TOKEN_FAILURES_PER_MINUTE),
    "platform_token_guessing",
    "Too many wrong platform tokens from your address. Try again later.",
  );
}

/** Whether `token` is the operator's platform token, compared in constant time. */
export function isPlatformToken(svc: Services, token: string | undefined): boolean {
  const configured = svc.config.platformToken;
  return Boolean(token && configured && safeEqual(token, configured));
}

/** Platform API: the operator's platform token; wrong ones are throttled per source. */
export function platformAuth(svc: Services): MiddlewareHandler {
  const throttle = platformTokenThrottle(svc);
  return async (c, next) => {
    const source = throttle.sourceOf(c);
    throttle.refuse(source);
    if (!isPlatformToken(svc, bearer(c.req.header("authorization")))) {
      await throttle.failed(source);
      throw new ApiError("platform_token_invalid");
    }
    await next();
  };
}

/**
 * Backend API: a secret key, which alone selects the instance every query is scoped to. Wrong
 * keys are throttled per source (429 once a source has sent too many), and the episode is one
 * security event: guessing a 256-bit key is hopeless, but an operator should know it happens.
 */
export function secretKeyAuth(svc: Services): MiddlewareHandler<InstanceEnv> {
  const throttle = failureThrottle(
    svc,
    svc.limits.counter(LIMITS.secretKeyFailures, SECRET_KEY_FAILURES_PER_MINUTE),
    "secret_key_guessing",
    "Too many wrong secret keys from your address. Try again later.",
  );
  return async (c, next) => {
    const source = throttle.sourceOf(c);
    throttle.refuse(source);
    const key = bearer(c.req.header("authorization"));
    const instance = key ? await instanceForSecretKey(svc, key) : undefined;
    if (!instance) {
      await throttle.failed(source);
      throw new ApiError("secret_key_invalid");
    }
    c.set("instance", instance);
    await next();
  };
}
