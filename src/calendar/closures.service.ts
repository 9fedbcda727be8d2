import { and, asc, eq, sql } from "drizzle-orm";
import { recordAudit } from "../audit/audit.service";
import { prepared } from "../db/prepared";
import { closureDays } from "../db/schema";
import type { Queryable } from "../db/store";
import type { Ctx } from "../domain/ctx";
import { invalid, notFound } from "../lib/errors";
import { managedAuthority } from "../register/authorities.service";
import { isWorkingDay } from "./working-days";

/** An authority's own closure days, for the working-day calendar and office hours. */
const closureDates = prepared((q) =>
  q
    .select({ date: closureDays.date })
    .from(closureDays)
    .where(eq(closureDays.authority, sql.placeholder("authority"))),
);

export async function closuresOf(q: Queryable, authority: string): Promise<Set<string>> {
  const rows = await closureDates(q).all({ authority });
  return new Set(rows.map((r) => r.date));
}

export async function listClosures(ctx: Ctx, authority: string) {
  await managedAuthority(ctx.store.read, ctx, authority);
  return ctx.store.read
    .select({ date: closureDays.date, reason: closureDays.reason })
    .from(closureDays)
    .where(eq(closureDays.authority, authority))
    .orderBy(asc(closureDays.date));
}

/**
 * A local closure day (an office move, a council-wide shutdown between Christmas and New
 * Year). Deadlines already set keep their dates; deadlines set after count it out.
 */
export async function setClosure(ctx: Ctx, authority: string, date: string, reason: string) {
  if (!isWorkingDay(date))
    throw invalid(`${date} is a weekend day or a bank holiday already.`, [{ path: "date", message: "is not a working day anyway" }]);
  return ctx.store.write(async (tx) => {
    await managedAuthority(tx, ctx, authority);
    const [existing] = await tx
      .select()
      .from(closureDays)
      .where(and(eq(closureDays.authority, authority), eq(closureDays.date, date)));
    if (existing)
      await tx
        .update(closureDays)
        .set({ reason })
        .where(and(eq(closureDays.authority, authority), eq(closureDays.date, date)));
    else await tx.insert(closureDays).values({ authority, date, reason, createdAt: ctx.clock.now().toISOString() });
    await recordAudit(tx, ctx, {
      action: "authority.closure.set",
      target: { type: "authority", id: authority },
      authority,
      detail: { date, reason },
    });
    return { created: !existing, closure: { date, reason } };
  });
}

export async function removeClosure(ctx: Ctx, authority: string, date: string) {
  return ctx.store.write(async (tx) => {
    await managedAuthority(tx, ctx, authority);
    const removed = await tx
      .delete(closureDays)
      .where(and(eq(closureDays.authority, authority), eq(closureDays.date, date)))
      .returning();
    if (!removed.length) throw notFound(`A closure day on ${date}`, { type: "authority", id: authority });
    await recordAudit(tx, ctx, {
      action: "authority.closure.remove",
      target: { type: "authority", id: authority },
      authority,
      detail: { date },
    });
  });
}
