/**
 * The app's request limits and the refusal coalescer, made once per app and shared by the API's
 * guard, the refusal audit and the desks' sign-in (which is outside /v1 but floods the same way).
 */
import type { Config } from "../lib/config";
import { memoryRateLimiter, type Policy, type RateLimiter } from "../lib/rate-limit";
import { type Coalescer, refusalCoalescer } from "./refusal-coalescing";

export interface Limits {
  limiter: RateLimiter;
  coalescer: Coalescer;
  perLogin: Policy;
  /** Requests that fail authentication (a bad token, a failed sign-in), per client address. */
  perAddress: Policy;
  /** The one public API route, per client address. */
  perAddressPublic: Policy;
}

export function createLimits(config: Config): Limits {
  return {
    limiter: memoryRateLimiter(),
    coalescer: refusalCoalescer({ windowSeconds: 60, globalPerMinute: 600 }),
    perLogin: { name: "login", limit: config.rateLimits.perLogin, windowSeconds: 60 },
    perAddress: { name: "unauthenticated", limit: config.rateLimits.perAddressUnauthenticated, windowSeconds: 60 },
    // The public key is the same for everyone: generous, but not unlimited.
    perAddressPublic: { name: "public", limit: 60, windowSeconds: 60 },
  };
}
