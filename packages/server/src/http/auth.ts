import type { MiddlewareHandler } from "hono";
import { safeEqual } from "../crypto/random.js";
import { ApiError } from "../errors/api-error.js";
import { recordSecurityEvent } from "../events/security-events.js";
import type { Instance } from "../instances/instances.js";
import { instanceForSecretKey } from "../instances/secret-keys.js";
import type { Services } from "../services.js";
import { clientIp, failureThrottle } from "./rate-limit.js";

export type InstanceEnv = { Variables: { instance: Instance } };

/** The bearer credential, from the Authorization header only (never a query string or body). */
export function bearer(header: string | undefined): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
  return m?.[1];
}

/** Platform API: the operator's platform token, compared in constant time. */
export function platformAuth(svc: Services): MiddlewareHandler {
  return async (c, next) => {
    const token = bearer(c.req.header("authorization"));
    if (!token || !svc.config.platformToken || !safeEqual(token, svc.config.platformToken)) {
      throw new ApiError("platform_token_invalid");
    }
    await next();
  };
}

/** Wrong secret keys one source may send a minute before it is refused outright. */
export const SECRET_KEY_FAILURES_PER_MINUTE = 30;

/**
 * Backend API: a secret key, which alone selects the instance every query is scoped to. Wrong
 * keys are throttled per source (429 once a source has sent too many), and the episode is one
 * security event: guessing a 256-bit key is hopeless, but an operator should know it happens.
 */
export function secretKeyAuth(svc: Services): MiddlewareHandler<InstanceEnv> {
  const ipOf = clientIp(svc.config.trustProxy);
  const failures = failureThrottle(SECRET_KEY_FAILURES_PER_MINUTE, () => svc.now());
  return async (c, next) => {
    const source = ipOf(c);
    const wait = source ? failures.blocked(source) : undefined;
    if (wait !== undefined) throw new ApiError("rate_limited", { headers: { "Retry-After": String(wait) } });
    const key = bearer(c.req.header("authorization"));
    const instance = key ? await instanceForSecretKey(svc, key) : undefined;
    if (!instance) {
      if (source && failures.fail(source)) {
        await recordSecurityEvent(svc, {
          kind: "secret_key_guessing",
          instanceId: undefined,
          clientIp: source,
        });
      }
      throw new ApiError("secret_key_invalid");
    }
    c.set("instance", instance);
    await next();
  };
}
