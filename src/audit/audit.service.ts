import { and, desc, eq, gte, inArray, isNull, lt, lte, or, type SQL } from "drizzle-orm";
import { execute } from "../db/prepared";
import { auditLog, auditSubjects } from "../db/schema";
import type { Queryable, Store } from "../db/store";
import type { Ctx } from "../domain/ctx";
import type { Target } from "../lib/errors";
import type { Principal } from "../lib/principal";
import { keyedHash } from "./keys";

/** Who acts, when, and the store whose log (and log key) the entry goes to. */
export type AuditCtx = Pick<Ctx, "clock" | "requestId" | "store"> & { principal: Principal | null };

export interface AuditEntry {
  action: string;
  target: Target | null;
  authority?: string | null;
  outcome?: string;
  detail?: Record<string, unknown> | null;
  /** Children whose information this access disclosed (a child target counts without being listed). */
  subjects?: string[];
}

/** The exact text a row's hash covers: every column as stored, and the previous row's hash. */
export function chainText(r: {
  seq: number;
  at: string;
  userId: string | null;
  roles: string;
  action: string;
  targetType: string | null;
  targetId: string | null;
  authority: string | null;
  requestId: string | null;
  outcome: string;
  detail: string | null;
  subjects: string | null;
  prevHash: string | null;
}): string {
  return JSON.stringify([
    r.seq,
    r.at,
    r.userId,
    r.roles,
    r.action,
    r.targetType,
    r.targetId,
    r.authority,
    r.requestId,
    r.outcome,
    r.detail,
    r.subjects,
    r.prevHash,
  ]);
}

/**
 * Appends to the audit log inside the caller's transaction, so the access and its record
 * stand or fall together. Each row carries an HMAC (keyed with AUDIT_HASH_KEY, which is not
 * in the database) over its content and the previous row's hash: changing, deleting or
 * reordering a row breaks the chain (`verifyAuditChain`), and it cannot be recomputed without
 * the key. Cutting the newest rows off is caught by signed checkpoints (checkpoints.ts).
 * Writes are serialised (see db/store.ts), so the chain has one tip.
 */
export async function recordAudit(q: Queryable, ctx: AuditCtx, e: AuditEntry) {
  await recordAudits(q, ctx, [e]);
}

/**
 * Several entries at once, chained in order: the tip is read once and the rows go in one
 * statement, so that a bulk import auditing each child it writes costs little more than the
 * writes themselves.
 */
export async function recordAudits(q: Queryable, ctx: AuditCtx, entries: AuditEntry[]) {
  if (!entries.length) return;
  const [tip] = await execute(q, TIP);
  let seq = tip ? Number(tip.seq) : 0;
  let prevHash = tip ? (tip.hash as string | null) : null;
  const at = ctx.clock.now().toISOString();
  const rows: (typeof auditLog.$inferInsert)[] = [];
  const subjectRows: (typeof auditSubjects.$inferInsert)[] = [];
  for (const e of entries) {
    const subjects = new Set(e.subjects ?? []);
    if (e.target?.type === "child" && e.target.id) subjects.add(e.target.id);
    const row = {
      seq: ++seq,
      at,
      userId: ctx.principal?.userId ?? null,
      roles: ctx.principal?.roles ?? [],
      action: e.action,
      targetType: e.target?.type ?? null,
      targetId: e.target?.id ?? null,
      // An entry about no authority's record (an empty list, a shared agency) is filed under the
      // actor's own authority when they act for one, so other authorities' auditors do not see it.
      authority: e.authority ?? (ctx.principal?.authorities.length === 1 ? ctx.principal.authorities[0]! : null),
      requestId: ctx.requestId,
      outcome: e.outcome ?? "ok",
      detail: e.detail ?? null,
      subjects: subjects.size ? [...subjects] : null,
      prevHash,
    };
    const hash = keyedHash(
      ctx.store.auditHashKey,
      chainText({
        ...row,
        roles: JSON.stringify(row.roles),
        detail: row.detail === null ? null : JSON.stringify(row.detail),
        subjects: row.subjects === null ? null : JSON.stringify(row.subjects),
      }),
    );
    rows.push({ ...row, hash, keyed: true });
    for (const childId of subjects) subjectRows.push({ auditSeq: row.seq, childId });
    prevHash = hash;
  }
  // The rows go in as one JSON parameter that SQLite unpacks, one statement of fixed text
  // whatever the number of rows: building a multi-row insert of 15 bound values a row in
  // drizzle cost more than the rows' own writes. Each value is passed as the text the hash was
  // taken over (json columns already stringified), so what is stored is exactly what the chain covers.
  const text = (v: unknown) => (v === null || v === undefined ? null : JSON.stringify(v));
  const tuples = rows.map((r) => [
    r.seq,
    r.at,
    r.userId,
    text(r.roles),
    r.action,
    r.targetType,
    r.targetId,
    r.authority,
    r.requestId,
    r.outcome,
    text(r.detail),
    text(r.subjects),
    r.prevHash,
    r.hash,
    r.keyed ? 1 : 0,
  ]);
  await execute(q, INSERT_ROWS, [JSON.stringify(tuples)]);
  if (subjectRows.length) await execute(q, INSERT_SUBJECTS, [JSON.stringify(subjectRows.map((r) => [r.auditSeq, r.childId]))]);
}

const TIP = "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1";
const col = (i: number) => `json_extract(value, '$[${i}]')`;
const INSERT_ROWS = `INSERT INTO audit_log (seq, at, user_id, roles, action, target_type, target_id, authority, request_id, outcome, detail, subjects, prev_hash, hash, keyed) SELECT ${Array.from({ length: 15 }, (_, i) => col(i)).join(", ")} FROM json_each(?)`;
const INSERT_SUBJECTS = `INSERT INTO audit_subjects (audit_seq, child_id) SELECT ${col(0)}, ${col(1)} FROM json_each(?)`;

export interface ChainResult {
  ok: boolean;
  checked: number;
  firstBrokenId: string | null;
  /** The tip as walked: what a checkpoint is checked against. */
  tip: { seq: number; hash: string | null };
}

/**
 * Walks the whole chain in order, recomputing each hash from the row as stored. The first
 * row that does not hold is named: a changed row, the row after a deleted one (its link, or
 * the gap in `seq`), the first of two swapped rows, a row not keyed (only `npm run
 * audit:rekey` turns a log from before the key into a keyed one), a row before seq 1, or a
 * row whose "who saw this child" index (audit_subjects) differs from the children it names.
 * `held` is called with each row's (seq, hash), so checkpoints are checked in the same walk.
 */
export async function verifyAuditChain(store: Store, held?: (seq: number, hash: string) => void): Promise<ChainResult> {
  let prev: string | null = null;
  let lastSeq = 0;
  let checked = 0;
  const broken = (seq: unknown) => ({ ok: false, checked, firstBrokenId: String(seq), tip: { seq: lastSeq, hash: prev } });
  // From the lowest seq there is, so a row slipped in before the first is walked too.
  let after: number = Number.MIN_SAFE_INTEGER;
  for (;;) {
    const { rows } = await store.client.execute({
      sql: "SELECT seq, at, user_id, roles, action, target_type, target_id, authority, request_id, outcome, detail, subjects, prev_hash, hash, keyed FROM audit_log WHERE seq > ? ORDER BY seq LIMIT 5000",
      args: [after],
    });
    if (!rows.length) break;
    const first = Number(rows[0]!.seq);
    const last = Number(rows[rows.length - 1]!.seq);
    const indexed = new Map<number, string[]>();
    for (const r of (
      await store.client.execute({
        sql: "SELECT audit_seq, child_id FROM audit_subjects WHERE audit_seq BETWEEN ? AND ? ORDER BY audit_seq, child_id",
        args: [first, last],
      })
    ).rows)
      indexed.set(Number(r.audit_seq), [...(indexed.get(Number(r.audit_seq)) ?? []), String(r.child_id)]);
    for (const r of rows) {
      const str = (v: unknown) => (v === null || v === undefined ? null : String(v));
      const seq = Number(r.seq);
      const text = chainText({
        seq,
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
        prevHash: str(r.prev_hash),
      });
      checked++;
      if (seq !== lastSeq + 1 || Number(r.keyed) !== 1 || str(r.prev_hash) !== prev || str(r.hash) !== keyedHash(store.auditHashKey, text))
        return broken(r.seq);
      const named = r.subjects === null ? [] : (JSON.parse(String(r.subjects)) as string[]);
      if ([...named].sort().join("\n") !== (indexed.get(seq) ?? []).join("\n")) return broken(r.seq);
      prev = String(r.hash);
      lastSeq = seq;
      held?.(lastSeq, prev);
    }
    after = last;
  }
  // An index row for no entry would put a made-up access under a child's name.
  const orphans = await store.client.execute(
    "SELECT min(s.audit_seq) AS seq FROM audit_subjects s LEFT JOIN audit_log l ON l.seq = s.audit_seq WHERE l.seq IS NULL",
  );
  if (orphans.rows[0]?.seq !== null && orphans.rows[0]?.seq !== undefined) return broken(orphans.rows[0].seq);
  return { ok: true, checked, firstBrokenId: null, tip: { seq: lastSeq, hash: prev } };
}

/**
 * A list read: one entry for each authority whose records it showed, holding that
 * authority's ids and children, so that each authority's auditors see exactly their part.
 */
export async function recordListAudit(
  q: Queryable,
  ctx: AuditCtx,
  e: { action: string; detail?: Record<string, unknown>; items: { authority: string; id: string; subjects: string[] }[] },
) {
  if (!e.items.length) return recordAudit(q, ctx, { action: e.action, target: null, detail: { ...e.detail, ids: [] } });
  const byAuthority = new Map<string, { ids: string[]; subjects: string[] }>();
  for (const item of e.items) {
    const g = byAuthority.get(item.authority) ?? byAuthority.set(item.authority, { ids: [], subjects: [] }).get(item.authority)!;
    g.ids.push(item.id);
    g.subjects.push(...item.subjects);
  }
  for (const [authority, g] of byAuthority)
    await recordAudit(q, ctx, { action: e.action, target: null, authority, detail: { ...e.detail, ids: g.ids }, subjects: g.subjects });
}

/** An audit entry in a transaction of its own: for refusals (the refused request changed nothing) and plain reads. */
export function appendAudit(store: Store, ctx: Omit<AuditCtx, "store">, e: AuditEntry) {
  return store.write((tx) => recordAudit(tx, { ...ctx, store }, e));
}

/** A filter's bounds: a calendar date means the whole day (UTC, as the log's times are). */
export const startOf = (s: string) => (s.length === 10 ? `${s}T00:00:00.000Z` : new Date(s).toISOString());
export const endOf = (s: string) => (s.length === 10 ? `${s}T23:59:59.999Z` : new Date(s).toISOString());

export interface AuditQuery {
  userId?: string;
  childId?: string;
  from?: string;
  to?: string;
  before?: number;
  limit: number;
}

/**
 * An auditor reads the entries of the authorities they act for, and the entries tied to no
 * authority (failed sign-ins, requests refused before any authority was known).
 */
export async function listAudit(ctx: Ctx, q: AuditQuery, detail: Record<string, unknown>) {
  const where: (SQL | undefined)[] = [
    or(isNull(auditLog.authority), ctx.principal.authorities.length ? inArray(auditLog.authority, ctx.principal.authorities) : undefined),
  ];
  if (q.userId) where.push(eq(auditLog.userId, q.userId));
  return ctx.store.write(async (tx) => {
    if (q.childId)
      where.push(
        inArray(auditLog.seq, tx.select({ seq: auditSubjects.auditSeq }).from(auditSubjects).where(eq(auditSubjects.childId, q.childId))),
      );
    if (q.from) where.push(gte(auditLog.at, q.from));
    if (q.to) where.push(lte(auditLog.at, q.to));
    if (q.before !== undefined) where.push(lt(auditLog.seq, q.before));
    const rows = await tx
      .select()
      .from(auditLog)
      .where(and(...where))
      .orderBy(desc(auditLog.seq))
      .limit(q.limit + 1);
    const result = rows.map((r) => ({
      id: String(r.seq),
      at: r.at,
      userId: r.userId,
      roles: r.roles,
      action: r.action,
      target: r.targetType ? { type: r.targetType, id: r.targetId } : null,
      authority: r.authority,
      requestId: r.requestId,
      outcome: r.outcome,
      detail: r.detail,
    }));
    // Reading the log is itself an access worth recording.
    await recordAudit(tx, ctx, { action: "audit.read", target: q.childId ? { type: "child", id: q.childId } : null, detail });
    return result;
  });
}
