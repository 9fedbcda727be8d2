/**
 * A fixed offered rate with evenly spaced arrivals, for tail latency below saturation.
 *
 * Why not autocannon's `overallRate`: it gives each connection a quota per second and resets
 * every quota on the same tick, so the whole second's requests leave in one burst and queue
 * behind each other; p99 then measures the burst, not the service. Here request i is due at
 * start + i / rate whatever happened before it (open loop, as wrk2 does), and its latency is
 * counted from when it was due, so a stalled server cannot hide its stall (no coordinated
 * omission). Latencies go into an HDR histogram (hdr-histogram-js, autocannon's own).
 */
import { Agent, request as httpRequest } from "node:http";
import * as hdr from "hdr-histogram-js";

export interface OpenLoopRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface OpenLoopResult {
  sent: number;
  completed: number;
  non2xx: number;
  errors: number;
  seconds: number;
  p50: number;
  p99: number;
  max: number;
  /** Answered 2xx: their own latencies (under overload, the ones the service took on). */
  accepted: { count: number; p50: number; p99: number; max: number };
  /** Answered 503: how many, how many said Retry-After, and how fast the refusal came. */
  refused: { count: number; withRetryAfter: number; p50: number; p99: number; max: number };
}

export async function openLoop(opts: {
  base: string;
  rate: number;
  seconds: number;
  next: () => OpenLoopRequest;
  /** Called with each 2xx answer's body, to check afterwards that what was acknowledged is there. */
  onAccepted?: (body: string) => void;
}): Promise<OpenLoopResult> {
  const url = new URL(opts.base);
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const build = () => hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 120_000_000, numberOfSignificantValueDigits: 3 });
  const histogram = build();
  const ok = build();
  const no = build();
  let refusedWithRetryAfter = 0;
  const total = Math.round(opts.rate * opts.seconds);
  const interval = 1000 / opts.rate;
  const result = { sent: 0, completed: 0, non2xx: 0, errors: 0 };
  const inflight = new Set<Promise<void>>();
  const start = performance.now();

  const fire = (due: number) => {
    const r = opts.next();
    const p = new Promise<void>((resolve) => {
      const req = httpRequest(
        {
          host: url.hostname,
          port: url.port,
          method: r.method,
          path: r.path,
          headers: { ...r.headers, ...(r.body ? { "content-length": Buffer.byteLength(r.body) } : {}) },
          agent,
        },
        (res) => {
          const chunks: Buffer[] = [];
          const good = res.statusCode! >= 200 && res.statusCode! < 300;
          if (good && opts.onAccepted) res.on("data", (c: Buffer) => chunks.push(c));
          else res.resume();
          res.on("end", () => {
            const us = Math.max(1, Math.round((performance.now() - due) * 1000));
            histogram.recordValue(us);
            result.completed++;
            if (good) {
              ok.recordValue(us);
              opts.onAccepted?.(Buffer.concat(chunks).toString("utf8"));
            } else result.non2xx++;
            if (res.statusCode === 503) {
              no.recordValue(us);
              if (res.headers["retry-after"]) refusedWithRetryAfter++;
            }
            resolve();
          });
        },
      );
      req.setTimeout(30_000, () => req.destroy(new Error("timeout")));
      req.on("error", () => {
        result.errors++;
        resolve();
      });
      req.end(r.body);
    });
    inflight.add(p);
    void p.then(() => inflight.delete(p));
    result.sent++;
  };

  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      while (result.sent < total && start + result.sent * interval <= now) fire(start + result.sent * interval);
      if (result.sent >= total) return resolve();
      setTimeout(tick, Math.max(0, Math.min(interval, start + result.sent * interval - now)));
    };
    tick();
  });
  await Promise.all(inflight);
  const seconds = (performance.now() - start) / 1000;
  agent.destroy();
  const ms = (us: number) => Math.round(us / 100) / 10;
  const of = (h: hdr.Histogram) => ({
    count: h.totalCount,
    p50: ms(h.getValueAtPercentile(50)),
    p99: ms(h.getValueAtPercentile(99)),
    max: ms(h.maxValue),
  });
  return {
    ...result,
    seconds,
    p50: ms(histogram.getValueAtPercentile(50)),
    p99: ms(histogram.getValueAtPercentile(99)),
    max: ms(histogram.maxValue),
    accepted: of(ok),
    refused: { ...of(no), withRetryAfter: refusedWithRetryAfter },
  };
}
