import { and, asc, desc, eq, gt, inArray } from "drizzle-orm";
import { recordAudit, recordListAudit } from "../audit/audit.service";
import { cinConsiderations, type considerationDecisions, considerationEnquiries, enquiries } from "../db/schema";
import type { Queryable } from "../db/store";
import type { Ctx } from "../domain/ctx";
import { detailsView, enquirerView } from "../enquiries/views";
import { AppError, conflict, notFound } from "../lib/errors";
import { hasRole } from "../lib/principal";
import { actingManagerAuthorities } from "./acting-manager";

type Row = typeof cinConsiderations.$inferSelect;

async function views(q: Queryable, rows: Row[]) {
  if (!rows.length) return [];
  const members = await q
    .select({ considerationId: considerationEnquiries.considerationId, possibleLink: considerationEnquiries.possibleLink, e: enquiries })
    .from(considerationEnquiries)
    .innerJoin(enquiries, eq(enquiries.id, considerationEnquiries.enquiryId))
    .where(
      inArray(
        considerationEnquiries.considerationId,
        rows.map((r) => r.id),
      ),
    )
    .orderBy(asc(enquiries.referenceNo));
  return rows.map((r) => ({
    id: r.id,
    authority: r.authority,
    status: r.status,
    openedAt: r.openedAt,
    decidedAt: r.decidedAt,
    decision: r.decision,
    note: r.note,
    enquiries: members
      .filter((m) => m.considerationId === r.id)
      .map(({ e, possibleLink }) => {
        const d = detailsView(e);
        return {
          id: e.id,
          reference: d.reference,
          receivedAt: e.receivedAt,
          enquirer: enquirerView(e),
          child: d.child,
          unborn: d.unborn,
          addresses: d.addresses,
          reason: d.reason,
          possibleLink,
          childId: e.childId,
        };
      }),
  }));
}

/** The child ids are for the audit's subjects, not for the reader. */
const withoutChildIds = ({ enquiries, ...v }: Awaited<ReturnType<typeof views>>[number]) => ({
  ...v,
  enquiries: enquiries.map(({ childId: _, ...e }) => e),
});

/**
 * The designated manager's considerations (seed 004 §61) for their authorities: oldest first
 * (the queue to work), or `newestFirst` by decision (what was decided last).
 */
export async function listConsiderations(
  ctx: Ctx,
  opts: { status: "open" | "decided"; after?: string | undefined; limit: number; newestFirst?: boolean },
) {
  // The out-of-hours service reads the open considerations only: decisions and their notes are the manager's.
  if (opts.status === "decided" && !hasRole(ctx.principal, "designated_manager"))
    throw new AppError("forbidden", "Decided considerations are for the designated manager.");
  const codes = await actingManagerAuthorities(ctx, ctx.store.read);
  if (!codes.length) return [];
  return ctx.store.write(async (tx) => {
    const rows = await tx
      .select()
      .from(cinConsiderations)
      .where(
        and(
          inArray(cinConsiderations.authority, codes),
          eq(cinConsiderations.status, opts.status),
          opts.after ? gt(cinConsiderations.id, opts.after) : undefined,
        ),
      )
      .orderBy(opts.newestFirst ? desc(cinConsiderations.decidedAt) : asc(cinConsiderations.id))
      .limit(opts.limit + 1);
    const shown = await views(tx, rows);
    // A consideration may hold enquiries about a register child (one who is not an open case): its reading is that child's.
    const subjectsOf = new Map(shown.map((v) => [v.id, [...new Set(v.enquiries.flatMap((e) => (e.childId ? [e.childId] : [])))]]));
    await recordListAudit(tx, ctx, {
      action: "consideration.list",
      detail: { status: opts.status },
      items: rows.slice(0, opts.limit).map((r) => ({ authority: r.authority, id: r.id, subjects: subjectsOf.get(r.id) ?? [] })),
    });
    return shown.map(withoutChildIds);
  });
}

export async function decideConsideration(
  ctx: Ctx,
  id: string,
  input: { decision: (typeof considerationDecisions)[number]; note: string },
) {
  return ctx.store.write(async (tx) => {
    const [row] = await tx.select().from(cinConsiderations).where(eq(cinConsiderations.id, id));
    if (!row || !ctx.principal.authorities.includes(row.authority))
      throw notFound("The consideration", { type: "consideration", id, authority: row?.authority ?? null });
    if (row.status === "decided")
      throw conflict(`This consideration was decided on ${row.decidedAt} (${row.decision}).`, { type: "consideration", id });
    const now = ctx.clock.now().toISOString();
    const [updated] = await tx
      .update(cinConsiderations)
      .set({ status: "decided", decidedAt: now, decidedBy: ctx.principal.userId, decision: input.decision, note: input.note })
      .where(and(eq(cinConsiderations.id, id), eq(cinConsiderations.status, "open")))
      .returning();
    if (!updated) throw conflict("This consideration was decided meanwhile.", { type: "consideration", id });
    await recordAudit(tx, ctx, {
      action: "consideration.decide",
      target: { type: "consideration", id },
      authority: row.authority,
      detail: { decision: input.decision },
    });
    return withoutChildIds((await views(tx, [updated]))[0]!);
  });
}
