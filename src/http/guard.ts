import type { Context, MiddlewareHandler } from "hono";
import { AppError } from "../lib/errors";
import { type Hit, type Policy, rateLimitHeaders } from "../lib/rate-limit";
import type { AppEnv, Deps } from "./app-env";
import { authenticate } from "./middleware";

/** The one API path with no token: the key that checks the audit log's checkpoints is public. */
const PUBLIC_API = new Set(["GET /v1/audit/public-key"]);

export const clientAddressOf = (c: Context<AppEnv>) => c.var.deps.clientAddress?.(c) ?? "unknown";

/**
 * Authentication with limits on both sides of it: a client address that keeps failing to
 * authenticate is refused (429) before its refusals can fill the audit log, and a login is
 * held to a request rate a person or a case system never needs. Every answer says where it
 * stands (RateLimit, RateLimit-Policy).
 */
/** Says where the caller stands; past the limit, refuses with 429. */
export function refuseOverLimit(c: Context<AppEnv>, hit: Hit, policy: Policy, what: string) {
  for (const [k, v] of Object.entries(rateLimitHeaders(hit, policy))) c.header(k, v);
  if (!hit.allowed)
    throw new AppError("rate_limited", `${what}; try again in ${hit.resetSeconds} seconds.`, {
      retryAfterSeconds: hit.resetSeconds,
      auditDetail: { policy: policy.name },
    });
}

/** A failed authentication from this client: counted, and past the limit a 429 instead. */
export async function countFailedAuthentication(c: Context<AppEnv>) {
  const { limiter, perAddress } = c.var.limits;
  const address = clientAddressOf(c);
  const hit = limiter.hit(address, perAddress, c.var.deps.clock.now().getTime());
  if (hit.allowed && c.var.deps.edgeLimit && !(await c.var.deps.edgeLimit(`unauthenticated:${address}`))) hit.allowed = false;
  refuseOverLimit(c, hit, perAddress, "Too many requests without valid credentials from this address");
}

export function guardApi(deps: Deps): MiddlewareHandler<AppEnv> {
  const auth = authenticate();
  return async (c, next) => {
    const { limiter, perLogin, perAddressPublic } = c.var.limits;
    const now = deps.clock.now().getTime();
    if (PUBLIC_API.has(`${c.req.method} ${c.req.path}`)) {
      refuseOverLimit(c, limiter.hit(clientAddressOf(c), perAddressPublic, now), perAddressPublic, "Too many requests from this address");
      return next();
    }
    try {
      await auth(c, async () => {});
    } catch (err) {
      if (!(err instanceof AppError) || err.status !== 401) throw err;
      await countFailedAuthentication(c);
      throw err;
    }
    refuseOverLimit(c, limiter.hit(c.get("principal")!.userId, perLogin, now), perLogin, "Too many requests from this login");
    await next();
  };
}
