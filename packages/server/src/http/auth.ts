import type { MiddlewareHandler } from "hono";
import { safeEqual } from "../crypto/random.js";
import { ApiError } from "../errors/api-error.js";
import type { Instance } from "../instances/instances.js";
import { instanceForSecretKey } from "../instances/secret-keys.js";
import type { Services } from "../services.js";

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

/** Backend API: a secret key, which alone selects the instance every query is scoped to. */
export function secretKeyAuth(svc: Services): MiddlewareHandler<InstanceEnv> {
  return async (c, next) => {
    const key = bearer(c.req.header("authorization"));
    const instance = key ? await instanceForSecretKey(svc, key) : undefined;
    if (!instance) throw new ApiError("secret_key_invalid");
    c.set("instance", instance);
    await next();
  };
}
