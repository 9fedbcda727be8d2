/**
 * A log written before its rows were keyed (plain SHA-256) is re-hashed with the key, once,
 * by the operator (`npm run audit:rekey`), after its plain chain has been checked whole. The
 * service never accepts an unkeyed row on its own: if it did, anyone who could write the
 * database could rewrite the whole log as "written before the key".
 */
import { sql } from "drizzle-orm";
import type { Store } from "../db/store";
import type { Clock } from "../lib/clock";
import { chainText, recordAudit } from "./audit.service";
import { keyedHash, plainHash } from "./keys";

export type RekeyResult = { ok: true; rekeyed: number; tip: { seq: number; hash: string | null } } | { ok: false; firstBrokenId: string };

export async function rekeyLegacyLog(store: Store, clock: Clock): Promise<RekeyResult> {
  return store.write(async (tx) => {
    const rows = await tx.all<Record<string, unknown>>(
      sql`SELECT seq, at, user_id, roles, action, target_type, target_id, authority, request_id, outcome, detail, subjects, prev_hash, hash, keyed FROM audit_log ORDER BY seq`,
    );
    const str = (v: unknown) => (v === null || v === undefined ? null : String(v));
    let prevOld: string | null = null;
    let prevNew: string | null = null;
    let rekeyed = 0;
    const updates: { seq: number; prev: string | null; hash: string }[] = [];
    for (const [i, r] of rows.entries()) {
      const fields = {
        seq: Number(r.seq),
        at: String(r.at),
        userId: str(r.user_id),
        roles: String(r.roles),
        action: String(r.action),
        targetType: str(r.target_type),
        targetId: str(r.target_id),
        authority: str(r.authority),
        requestId: str(r.request_id),
        outcome: String(r.outcome),
        detail: str(r.detail),
        subjects: str(r.subjects),
      };
      // The chain as it stands must hold, plain or keyed, before anything is rewritten.
      const keyed = Number(r.keyed) === 1;
      const asStored = chainText({ ...fields, prevHash: str(r.prev_hash) });
      const expected = keyed ? keyedHash(store.auditHashKey, asStored) : plainHash(asStored);
      if (fields.seq !== i + 1 || str(r.prev_hash) !== prevOld || str(r.hash) !== expected)
        return { ok: false as const, firstBrokenId: String(r.seq) };
      prevOld = expected;
      const hash = keyedHash(store.auditHashKey, chainText({ ...fields, prevHash: prevNew }));
      if (!keyed || prevNew !== str(r.prev_hash)) {
        updates.push({ seq: fields.seq, prev: prevNew, hash });
        if (!keyed) rekeyed++;
      }
      prevNew = hash;
    }
    for (const u of updates)
      await tx.run(sql`UPDATE audit_log SET prev_hash = ${u.prev}, hash = ${u.hash}, keyed = 1 WHERE seq = ${u.seq}`);
    if (rekeyed)
      await recordAudit(
        tx,
        { store, clock, requestId: `cli-rekey-${Date.now()}`, principal: null },
        { action: "audit.rekey", target: null, authority: null, detail: { rekeyed } },
      );
    return { ok: true as const, rekeyed, tip: { seq: rows.length, hash: prevNew } };
  });
}
