import { and, asc, eq, gt, inArray, sql } from "drizzle-orm";
import { type AuditEntry, recordAudits } from "../audit/audit.service";
import { prepared } from "../db/prepared";
import { agencies, agencyAuthorities, agencyNumbers, authorities } from "../db/schema";
import type { Queryable, Tx } from "../db/store";
import type { Ctx } from "../domain/ctx";
import { AppError, conflict, notFound } from "../lib/errors";
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
    contactEmail: r.contactEmail,
    recognisedNumbers: nums.filter((n) => n.agencyId === r.id).map((n) => n.number),
  }));
}

/** The caller's authorities that the register holds (a token may list one not yet created). */
async function heldAuthorities(tx: Tx, ctx: Ctx) {
  if (!ctx.principal.authorities.length) return [];
  const rows = await tx.select({ code: authorities.code }).from(authorities).where(inArray(authorities.code, ctx.principal.authorities));
  return rows.map((r) => r.code);
}

export async function createAgency(
  ctx: Ctx,
  input: { name: string; recognisedNumbers: string[]; contactEmail?: string | null | undefined },
) {
  return ctx.store.write(async (tx) => {
    // The manager who records it makes their authorities its users: with none, nobody could
    // ever change it, or the first manager of any authority would take it.
    const users = await heldAuthorities(tx, ctx);
    if (!users.length) throw new AppError("forbidden", "You act for no authority this register holds, so you cannot record an agency.");
    const key = agencyKey(input.name);
    const existing = await tx.select({ id: agencies.id }).from(agencies).where(eq(agencies.nameKey, key));
    if (existing.length) throw conflict(`An agency named "${input.name}" already exists (id ${existing[0]!.id}).`);
    const now = ctx.clock.now().toISOString();
    const [row] = await tx
      .insert(agencies)
      .values({
        id: newId(),
        name: input.name.trim().replace(/\s+/g, " "),
        nameKey: key,
        contactEmail: input.contactEmail ?? null,
        createdAt: now,
      })
      .returning();
    const numbers = [...new Set(input.recognisedNumbers)];
    if (numbers.length)
      await tx.insert(agencyNumbers).values(numbers.map((number) => ({ id: newId(), agencyId: row!.id, number, createdAt: now })));
    await tx
      .insert(agencyAuthorities)
      .values(users.map((authority) => ({ agencyId: row!.id, authority, since: now })))
      .onConflictDoNothing();
    await recordAudits(tx, ctx, [
      { action: "agency.create", target: { type: "agency", id: row!.id }, detail: { numbers, contactEmail: input.contactEmail ?? null } },
    ]);
    return (await withNumbers(tx, [row!]))[0]!;
  });
}

async function usersOf(tx: Tx, id: string) {
  return (
    await tx.select({ authority: agencyAuthorities.authority }).from(agencyAuthorities).where(eq(agencyAuthorities.agencyId, id))
  ).map((u) => u.authority);
}

/**
 * An agency the caller may change: one used by an authority the caller manages (its manager
 * recorded it, or its enquirers have enquired there). Any other is not found (404), saying
 * nothing of it; so is one nobody uses yet (migration 0023 gave agencies recorded before agencies
 * had users the authority their record was filed under). Gives the agency and the authorities
 * that use it, under each of which the change is audited.
 */
async function agencyToChange(tx: Tx, ctx: Ctx, id: string) {
  const [row] = await tx.select().from(agencies).where(eq(agencies.id, id));
  if (!row) throw notFound("The agency", { type: "agency", id });
  // An agency nobody uses yet is nobody's to change: the first to try must not take it.
  const users = await usersOf(tx, id);
  if (!users.some((a) => ctx.principal.authorities.includes(a))) throw notFound("The agency", { type: "agency", id });
  return { row, users };
}

/** One entry under each authority that uses the agency, so each one's auditors see the change. */
const auditUnderEach = (users: string[], e: Omit<AuditEntry, "authority">): AuditEntry[] => users.map((authority) => ({ ...e, authority }));

export async function addAgencyNumber(ctx: Ctx, id: string, number: string) {
  return ctx.store.write(async (tx) => {
    const { row, users } = await agencyToChange(tx, ctx, id);
    await tx
      .insert(agencyNumbers)
      .values({ id: newId(), agencyId: id, number, createdAt: ctx.clock.now().toISOString() })
      .onConflictDoNothing();
    await recordAudits(tx, ctx, auditUnderEach(users, { action: "agency.number.add", target: { type: "agency", id }, detail: { number } }));
    return (await withNumbers(tx, [row]))[0]!;
  });
}

/** A number no longer the agency's: a call-back can no longer be completed to it. */
export async function removeAgencyNumber(ctx: Ctx, id: string, number: string) {
  return ctx.store.write(async (tx) => {
    const { row, users } = await agencyToChange(tx, ctx, id);
    const removed = await tx
      .delete(agencyNumbers)
      .where(and(eq(agencyNumbers.agencyId, id), eq(agencyNumbers.number, number)))
      .returning({ id: agencyNumbers.id });
    if (!removed.length) throw notFound(`The number ${number} of the agency`, { type: "agency", id });
    await recordAudits(
      tx,
      ctx,
      auditUnderEach(users, { action: "agency.number.remove", target: { type: "agency", id }, detail: { number } }),
    );
    return (await withNumbers(tx, [row]))[0]!;
  });
}

/** Where the agency is told that a plan it attended the conference for has ended (seed 004 §47). */
export async function setAgencyContactEmail(ctx: Ctx, id: string, contactEmail: string | null) {
  return ctx.store.write(async (tx) => {
    const { users } = await agencyToChange(tx, ctx, id);
    const [row] = await tx.update(agencies).set({ contactEmail }).where(eq(agencies.id, id)).returning();
    await recordAudits(
      tx,
      ctx,
      auditUnderEach(users, { action: "agency.contact.update", target: { type: "agency", id }, detail: { contactEmail } }),
    );
    return (await withNumbers(tx, [row!]))[0]!;
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
