import { asc, eq, gt, inArray, sql } from "drizzle-orm";
import { recordAudit } from "../audit/audit.service";
import { prepared } from "../db/prepared";
import { agencies, agencyNumbers } from "../db/schema";
import type { Queryable } from "../db/store";
import type { Ctx } from "../domain/ctx";
import { conflict, notFound } from "../lib/errors";
import { newId } from "../lib/ids";
import { agencyKey } from "../lib/text";

type AgencyRow = typeof agencies.$inferSelect;

async function withNumbers(q: Queryable, rows: AgencyRow[]) {
  if (!rows.length) return [];
  const nums = await q
    .select()
    .from(agencyNumbers)
    .where(
      inArray(
        agencyNumbers.agencyId,
        rows.map((r) => r.id),
      ),
    )
    .orderBy(asc(agencyNumbers.createdAt), asc(agencyNumbers.id));
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    recognisedNumbers: nums.filter((n) => n.agencyId === r.id).map((n) => n.number),
  }));
}

export async function createAgency(ctx: Ctx, input: { name: string; recognisedNumbers: string[] }) {
  return ctx.store.write(async (tx) => {
    const key = agencyKey(input.name);
    const existing = await tx.select({ id: agencies.id }).from(agencies).where(eq(agencies.nameKey, key));
    if (existing.length) throw conflict(`An agency named "${input.name}" already exists (id ${existing[0]!.id}).`);
    const now = ctx.clock.now().toISOString();
    const [row] = await tx
      .insert(agencies)
      .values({ id: newId(), name: input.name.trim().replace(/\s+/g, " "), nameKey: key, createdAt: now })
      .returning();
    const numbers = [...new Set(input.recognisedNumbers)];
    if (numbers.length)
      await tx.insert(agencyNumbers).values(numbers.map((number) => ({ id: newId(), agencyId: row!.id, number, createdAt: now })));
    await recordAudit(tx, ctx, { action: "agency.create", target: { type: "agency", id: row!.id }, detail: { numbers } });
    return (await withNumbers(tx, [row!]))[0]!;
  });
}

export async function addAgencyNumber(ctx: Ctx, id: string, number: string) {
  return ctx.store.write(async (tx) => {
    const [row] = await tx.select().from(agencies).where(eq(agencies.id, id));
    if (!row) throw notFound("The agency", { type: "agency", id });
    await tx
      .insert(agencyNumbers)
      .values({ id: newId(), agencyId: id, number, createdAt: ctx.clock.now().toISOString() })
      .onConflictDoNothing();
    await recordAudit(tx, ctx, { action: "agency.number.add", target: { type: "agency", id }, detail: { number } });
    return (await withNumbers(tx, [row]))[0]!;
  });
}

export async function listAgencies(ctx: Ctx, opts: { after?: string | undefined; limit: number }) {
  const rows = await ctx.store.read
    .select()
    .from(agencies)
    .where(opts.after ? gt(agencies.id, opts.after) : undefined)
    .orderBy(asc(agencies.id))
    .limit(opts.limit + 1);
  return withNumbers(ctx.store.read, rows);
}

/** The agency an enquirer's `agency` claim names (case and surrounding spaces ignored), if recorded. */
const agencyByKey = prepared((q) =>
  q
    .select()
    .from(agencies)
    .where(eq(agencies.nameKey, sql.placeholder("key"))),
);

export async function agencyByName(q: Queryable, name: string) {
  const [row] = await agencyByKey(q).all({ key: agencyKey(name) });
  return row ? (await withNumbers(q, [row]))[0]! : null;
}
