/**
 * Fixed-window counters kept in process: per login for every API request, per client address
 * for requests that fail authentication. On Node that is the whole service; on Workers each
 * isolate counts its own, and the Workers rate-limiting binding (wrangler.toml) counts across
 * them. The map is bounded, so a flood of addresses cannot grow the process without limit.
 */
export interface Policy {
  /** Named in the log and the RateLimit-Policy header. */
  name: string;
  limit: number;
  windowSeconds: number;
}

export interface Hit {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window resets. */
  resetSeconds: number;
}

export interface RateLimiter {
  hit(key: string, policy: Policy, nowMs: number): Hit;
  /** Whether a key is already past its limit, without counting. */
  exhausted(key: string, policy: Policy, nowMs: number): boolean;
}

export function memoryRateLimiter(maxKeys = 20_000): RateLimiter {
  const windows = new Map<string, { start: number; count: number }>();
  const prune = (nowMs: number, windowMs: number) => {
    for (const [k, w] of windows) if (nowMs - w.start >= windowMs) windows.delete(k);
    // Still full: the oldest go first (a Map iterates in insertion order).
    for (const k of windows.keys()) {
      if (windows.size < maxKeys) break;
      windows.delete(k);
    }
  };
  return {
    exhausted(key, policy, nowMs) {
      const w = windows.get(`${policy.name}:${key}`);
      return !!w && nowMs - w.start < policy.windowSeconds * 1000 && w.count >= policy.limit;
    },
    hit(key, policy, nowMs) {
      const windowMs = policy.windowSeconds * 1000;
      const id = `${policy.name}:${key}`;
      let w = windows.get(id);
      if (!w || nowMs - w.start >= windowMs) {
        if (!w && windows.size >= maxKeys) prune(nowMs, windowMs);
        w = { start: nowMs, count: 0 };
        windows.delete(id);
        windows.set(id, w);
      }
      w.count++;
      const resetSeconds = Math.max(1, Math.ceil((w.start + windowMs - nowMs) / 1000));
      return { allowed: w.count <= policy.limit, limit: policy.limit, remaining: Math.max(0, policy.limit - w.count), resetSeconds };
    },
  };
}

/** The IETF draft's fields (draft-ietf-httpapi-ratelimit-headers, as hono-rate-limiter's draft-7 writes them). */
export function rateLimitHeaders(hit: Hit, policy: Policy): Record<string, string> {
  return {
    RateLimit: `limit=${hit.limit}, remaining=${hit.remaining}, reset=${hit.resetSeconds}`,
    "RateLimit-Policy": `${policy.limit};w=${policy.windowSeconds}`,
  };
}
