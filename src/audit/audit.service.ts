import { and, desc, eq, gte, lt, lte, or, inArray, isNull, type SQL } from "drizzle-orm";
import type { Ctx } from "../app-env";
import type { Principal } from "../auth/principal";
import { auditLog, auditSubjects } from "../db/schema";
import type { Queryable, Store } from "../db/store";
import type { Target } from "../lib/errors";

export interface AuditEntry {
  action: string;
  target: Target | null;
  authority?: string | null;
  outcome?: string;
  detail?: Record<string, unknown> | null;
  /** Children whose information this access disclosed (a child target counts without being listed). */
  subjects?: string[];
}

/** Appends to the audit log inside the caller's transaction, so the access and its record stand or fall together. */
export async function recordAudit(q: Queryable, ctx: Pick<Ctx, "clock" | "requestId"> & { principal: Principal | null }, e: AuditEntry) {
  const [row] = await q.insert(auditLog).values({
    at: ctx.clock.now().toISOString(),
    userId: ctx.principal?.userId ?? null,
    roles: ctx.principal?.roles ?? [],
    action: e.action,
    targetType: e.target?.type ?? null,
    targetId: e.target?.id ?? null,
    authority: e.authority ?? null,
    requestId: ctx.requestId,
    outcome: e.outcome ?? "ok",
    detail: e.detail ?? null,
  }).returning({ seq: auditLog.seq });
  const subjects = new Set(e.subjects ?? []);
  if (e.target?.type === "child" && e.target.id) subjects.add(e.target.id);
  if (subjects.size) await q.insert(auditSubjects).values([...subjects].map((childId) => ({ auditSeq: row!.seq, childId })));
}

/**
 * A list read: one entry for each authority whose records it showed, holding that
 * authority's ids and children, so that each authority's auditors see exactly their part.
 */
export async function recordListAudit(
  q: Queryable,
  ctx: Pick<Ctx, "clock" | "requestId"> & { principal: Principal | null },
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
export function appendAudit(
  store: Store,
  ctx: Pick<Ctx, "clock" | "requestId"> & { principal: Principal | null },
  e: AuditEntry,
) {
  return store.write((tx) => recordAudit(tx, ctx, e));
}

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
  if (q.childId) where.push(inArray(auditLog.seq, tx.select({ seq: auditSubjects.auditSeq }).from(auditSubjects).where(eq(auditSubjects.childId, q.childId))));
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
