/**
 * Refusals nobody signed in for (a missing or bad token) are recorded once a minute per
 * client address and route, and at most `globalPerMinute` in all; the ones not written are
 * counted, and the next row written for the same key carries the count. Without this, anyone
 * could grow the audit log (every row through the one write lock) as fast as they could send.
 */
export interface Coalescer {
  /** null: don't write a row (counted); otherwise write one, noting how many were held back before it. */
  admit(key: string, nowMs: number): { heldBack: number } | null;
}

export function refusalCoalescer(opts: { windowSeconds: number; globalPerMinute: number; maxKeys?: number }): Coalescer {
  const maxKeys = opts.maxKeys ?? 20_000;
  const keys = new Map<string, { start: number; heldBack: number }>();
  let minute = { start: 0, written: 0, heldBack: 0 };
  const windowMs = opts.windowSeconds * 1000;
  return {
    admit(key, nowMs) {
      if (nowMs - minute.start >= 60_000) minute = { start: nowMs, written: 0, heldBack: minute.heldBack };
      const k = keys.get(key);
      if (k && nowMs - k.start < windowMs) {
        k.heldBack++;
        return null;
      }
      if (minute.written >= opts.globalPerMinute) {
        minute.heldBack++;
        return null;
      }
      if (!k && keys.size >= maxKeys) for (const [kk, v] of keys) if (nowMs - v.start >= windowMs || keys.size >= maxKeys) keys.delete(kk);
      const heldBack = (k?.heldBack ?? 0) + minute.heldBack;
      minute.heldBack = 0;
      minute.written++;
      keys.delete(key);
      keys.set(key, { start: nowMs, heldBack: 0 });
      return { heldBack };
    },
  };
}
