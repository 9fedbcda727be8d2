/**
 * Admission control: at most `maxInFlight` requests are worked on at once, at most `maxQueued`
 * wait for a place, and none waits longer than `maxWaitMs`. Past that the answer is 503 with
 * `Retry-After` at once, before authentication or anything is written. (The body, bounded by
 * BODY_LIMIT_BYTES, is read first: a client slow to send it must not hold a place.)
 *
 * Why: one process on one event loop. Offered more than it can answer, a server that takes
 * every request holds every one of them in memory and answers all of them late, the ones it
 * could have answered in time included. Refusing the excess early keeps memory bounded and
 * the accepted requests' latency near what the server does unloaded; a client told
 * `Retry-After` can come back, which a request timed out after 30 s cannot.
 *
 * A burst is not an overload: while places keep coming free for whoever arrives, a waiter
 * may wait up to `maxWaitMs`. When for `OVERLOAD_AFTER_MS` no arrival has found a free place
 * and no finished request has found the line empty, more arrives than is answered, and then
 * a newcomer waits at most `OVERLOADED_WAIT_MS` (CoDel's idea, as in Facebook's "fail fast"
 * queues): the excess is refused in milliseconds instead of after sitting out the whole
 * bound, and those admitted are answered in time. Waiters who gave up do not count as the
 * line emptying: that is the overload itself.
 */
import type { MiddlewareHandler } from "hono";
import { AppError } from "./errors";

export interface AdmissionLimits {
  maxInFlight: number;
  maxQueued: number;
  maxWaitMs: number;
}

export interface AdmissionStats {
  inFlight: number;
  queued: number;
  admitted: number;
  refused: number;
}

/** Never refused: a load balancer's health checks, and the desks' static files (no work, no data). */
const EXEMPT = (path: string) => path === "/healthz" || path === "/readyz" || path.startsWith("/assets/");

const OVERLOAD_AFTER_MS = 100;
const OVERLOADED_WAIT_MS = 10;

export type Admission = ReturnType<typeof createAdmission>;

/** The refusal: 503 with Retry-After, the same wherever it is given (admission-node.ts too). */
export const OVERLOADED = new AppError("unavailable", "The service is answering as many requests as it can; try again in a moment.", {
  retryAfterSeconds: 1,
});

export function createAdmission(limits: AdmissionLimits) {
  let inFlight = 0;
  let admitted = 0;
  let refused = 0;
  // Waiters in arrival order; a timed-out waiter is marked and skipped when its turn comes.
  const waiting: { go: () => void; gone: boolean }[] = [];
  let queued = 0;
  /** The last moment the service kept up: an arrival found a free place, or a finished request found nobody waiting. */
  let keptUpAt = performance.now();
  const overloaded = () => performance.now() - keptUpAt > OVERLOAD_AFTER_MS;

  const release = () => {
    while (waiting.length) {
      const w = waiting.shift()!;
      if (w.gone) continue;
      queued--;
      w.go();
      return; // the place passes to the waiter: inFlight stays the same
    }
    keptUpAt = performance.now();
    inFlight--;
  };

  const acquire = (): Promise<boolean> => {
    if (inFlight < limits.maxInFlight) {
      keptUpAt = performance.now();
      inFlight++;
      return Promise.resolve(true);
    }
    if (queued >= limits.maxQueued || limits.maxWaitMs === 0) return Promise.resolve(false);
    const wait = overloaded() ? Math.min(OVERLOADED_WAIT_MS, limits.maxWaitMs) : limits.maxWaitMs;
    return new Promise<boolean>((resolve) => {
      const w = {
        gone: false,
        go: () => {
          clearTimeout(timer);
          resolve(true);
        },
      };
      const timer = setTimeout(() => {
        w.gone = true;
        queued--;
        resolve(false);
      }, wait);
      waiting.push(w);
      queued++;
    });
  };

  const middleware: MiddlewareHandler = async (c, next) => {
    if (EXEMPT(c.req.path)) return next();
    if (!(await acquire())) {
      refused++;
      throw OVERLOADED;
    }
    admitted++;
    try {
      await next();
    } finally {
      release();
    }
  };

  /**
   * Whether a request arriving now would be refused for certain: no place free, and the line
   * full or the service overloaded. The Node entry asks this before the request is parsed into
   * a Request at all (admission-node.ts), so a refusal under overload costs the least it can;
   * everything else goes on to the middleware, which decides.
   */
  const shedNow = (path: string) => {
    if (EXEMPT(path) || inFlight < limits.maxInFlight) return false;
    if (queued < limits.maxQueued && !overloaded()) return false;
    refused++;
    return true;
  };

  return { middleware, shedNow, stats: (): AdmissionStats => ({ inFlight, queued, admitted, refused }) };
}
