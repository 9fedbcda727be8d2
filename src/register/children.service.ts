import { and, asc, eq, gt, inArray, isNull, sql } from "drizzle-orm";
import { appendAudit, recordAudit, recordListAudit } from "../audit/audit.service";
import { childAddresses, childAliases, childPeople, childPersonNames, children } from "../db/schema";
import type { Queryable, Tx } from "../db/store";
import type { Ctx } from "../domain/ctx";
import { implausibleDelivery, londonToday } from "../lib/dates";
import { conflict, type FieldError, invalid } from "../lib/errors";
import { newId } from "../lib/ids";
import { findAuthority } from "./authorities.service";
import { loadChildRecord } from "./child-record";
import { addressRows, aliasRows, childColumns, nameColumns, peopleRows } from "./child-rows";
import type { AddressInput, AliasInput, ChildCreate, ChildPatch, PersonInput } from "./children.schemas";
import { nameKey } from "./names";
import { assertMayWriteTo, notInScope } from "./scope";

const childTarget = (id: string) => ({ type: "child", id });

/** A child of one of the caller's authorities, or 404 (audited as a refusal by the error funnel). */
export async function childInScope(q: Queryable, ctx: Ctx, id: string) {
  const [row] = await q.select().from(children).where(eq(children.id, id));
  if (!row || !ctx.principal.authorities.includes(row.authority))
    throw notInScope("The child", { ...childTarget(id), authority: row?.authority ?? null });
  return row;
}

function checkDates(
  ctx: Ctx,
  c: {
    dateOfBirth?: string | null | undefined;
    expectedDateOfDelivery?: string | null | undefined;
    addresses?: AddressInput[] | undefined;
    people?: PersonInput[] | undefined;
  },
  prefix = "",
) {
  const today = londonToday(ctx.clock.now());
  const errors: FieldError[] = [];
  if (c.dateOfBirth && c.dateOfBirth > today)
    errors.push({ path: `${prefix}dateOfBirth`, message: "is in the future: record an unborn child with expectedDateOfDelivery" });
  const delivery = c.expectedDateOfDelivery ? implausibleDelivery(c.expectedDateOfDelivery, today, true) : null;
  if (delivery) errors.push({ path: `${prefix}expectedDateOfDelivery`, message: delivery });
  c.addresses?.forEach((a, i) => {
    if (a.from && a.from > today) errors.push({ path: `${prefix}addresses.${i}.from`, message: "is in the future" });
  });
  c.people?.forEach((p, i) => {
    if (p.dateOfBirth && p.dateOfBirth > today) errors.push({ path: `${prefix}people.${i}.dateOfBirth`, message: "is in the future" });
  });
  if (errors.length) throw invalid("Some dates are not possible: see errors.", errors);
}

async function aliasesOf(tx: Tx, childId: string) {
  return tx
    .select({ givenNames: childAliases.givenNames, familyName: childAliases.familyName })
    .from(childAliases)
    .where(eq(childAliases.childId, childId));
}

async function replaceAliases(tx: Tx, childId: string, aliases: AliasInput[], dateOfBirth: string | null) {
  await tx.delete(childAliases).where(eq(childAliases.childId, childId));
  if (aliases.length) await tx.insert(childAliases).values(aliasRows(childId, aliases, dateOfBirth));
}

async function replaceAddresses(tx: Tx, childId: string, addresses: AddressInput[]) {
  await tx.delete(childAddresses).where(eq(childAddresses.childId, childId));
  if (addresses.length) await tx.insert(childAddresses).values(addressRows(childId, addresses));
}

/** Replaces a child's people (and the names the matcher finds them by) with those given. */
export async function replacePeople(tx: Tx, childId: string, people: PersonInput[]) {
  await tx.delete(childPersonNames).where(eq(childPersonNames.childId, childId));
  await tx.delete(childPeople).where(eq(childPeople.childId, childId));
  const { persons, names } = peopleRows(childId, people);
  if (persons.length) await tx.insert(childPeople).values(persons);
  if (names.length) await tx.insert(childPersonNames).values(names);
}

async function assertExternalIdFree(tx: Tx, authority: string, externalId: string, exceptId?: string) {
  const [taken] = await tx
    .select({ id: children.id })
    .from(children)
    .where(and(eq(children.authority, authority), eq(children.externalId, externalId)));
  if (taken && taken.id !== exceptId)
    throw conflict(`Another child in ${authority} already has external id ${externalId} (child ${taken.id}).`);
}

/** Checks that need no database: the caller may write to the authority, the dates are possible. */
export function checkChildCreate(ctx: Ctx, input: ChildCreate, prefix = "") {
  assertMayWriteTo(ctx, input.authority, `${prefix}authority`);
  checkDates(ctx, input, prefix);
}

/** Puts a child on the register inside the caller's transaction (audited); returns the id. */
export async function insertChild(tx: Tx, ctx: Ctx, input: ChildCreate, prefix = ""): Promise<string> {
  if (!(await findAuthority(tx, input.authority)))
    throw invalid(`Authority ${input.authority} does not exist yet.`, [
      { path: `${prefix}authority`, message: "is not a known authority" },
    ]);
  if (input.externalId) await assertExternalIdFree(tx, input.authority, input.externalId);
  const now = ctx.clock.now().toISOString();
  const id = newId();
  await tx.insert(children).values({
    id,
    authority: input.authority,
    externalId: input.externalId ?? null,
    ...childColumns(input),
    createdAt: now,
    updatedAt: now,
  });
  await replaceAliases(tx, id, input.aliases, input.dateOfBirth ?? null);
  await replaceAddresses(tx, id, input.addresses);
  if (input.people.length) await replacePeople(tx, id, input.people);
  await recordAudit(tx, ctx, { action: "child.create", target: childTarget(id), authority: input.authority });
  return id;
}

export async function createChild(ctx: Ctx, input: ChildCreate) {
  checkChildCreate(ctx, input);
  return ctx.store.write(async (tx) => (await loadChildRecord(tx, await insertChild(tx, ctx, input)))!);
}

export async function patchChild(ctx: Ctx, id: string, patch: ChildPatch) {
  checkDates(ctx, patch);
  return ctx.store.write(async (tx) => {
    const row = await childInScope(tx, ctx, id);
    const merged = {
      dateOfBirth: patch.dateOfBirth !== undefined ? patch.dateOfBirth : row.dateOfBirth,
      expectedDateOfDelivery: patch.expectedDateOfDelivery !== undefined ? patch.expectedDateOfDelivery : row.expectedDateOfDelivery,
    };
    if (!merged.dateOfBirth && !merged.expectedDateOfDelivery)
      throw invalid("A child needs a date of birth or an expected date of delivery.", [
        { path: "dateOfBirth", message: "a date of birth or an expected date of delivery is required" },
      ]);
    if (patch.externalId) await assertExternalIdFree(tx, row.authority, patch.externalId, id);
    const givenNames = patch.givenNames ?? row.givenNames;
    const familyName = patch.familyName ?? row.familyName;
    await tx
      .update(children)
      .set({
        ...(patch.externalId !== undefined ? { externalId: patch.externalId } : {}),
        givenNames,
        familyName,
        ...nameColumns(givenNames, familyName, patch.aliases ?? (await aliasesOf(tx, id))),
        ...merged,
        ...(patch.sex !== undefined ? { sex: patch.sex } : {}),
        ...(patch.nhsNumber !== undefined ? { nhsNumber: patch.nhsNumber } : {}),
        ...(patch.householdNote !== undefined ? { householdNote: patch.householdNote } : {}),
        updatedAt: ctx.clock.now().toISOString(),
      })
      .where(eq(children.id, id));
    if (patch.aliases) await replaceAliases(tx, id, patch.aliases, merged.dateOfBirth);
    else if (merged.dateOfBirth !== row.dateOfBirth)
      await tx.update(childAliases).set({ dateOfBirth: merged.dateOfBirth }).where(eq(childAliases.childId, id));
    if (patch.addresses) await replaceAddresses(tx, id, patch.addresses);
    if (patch.people) await replacePeople(tx, id, patch.people);
    await recordAudit(tx, ctx, {
      action: "child.update",
      target: childTarget(id),
      authority: row.authority,
      detail: { fields: Object.keys(patch) },
    });
    return (await loadChildRecord(tx, id))!;
  });
}

/**
 * The whole record. It is read first, in one read-only snapshot that a replica could serve, and handed over only
 * once its audit entry is committed, so no read goes unrecorded; the write transaction holds
 * the lock for the audit entry alone.
 */
export async function getChild(ctx: Ctx, id: string) {
  const { row, record } = await ctx.store.snapshot(async (db) => {
    const row = await childInScope(db, ctx, id);
    return { row, record: (await loadChildRecord(db, id))! };
  });
  await appendAudit(ctx.store, ctx, { action: "child.read", target: childTarget(id), authority: row.authority });
  return record;
}

export interface ChildSearch {
  q?: string | undefined;
  dateOfBirth?: string | undefined;
  authority?: string | undefined;
  after?: string | undefined;
  limit: number;
}

/**
 * The designated manager's search by name and date of birth: every word of `q` must begin
 * a word of the child's names or an alias. Each child listed is recorded as seen.
 */
export async function searchChildren(ctx: Ctx, s: ChildSearch) {
  const scope = s.authority ? [s.authority].filter((a) => ctx.principal.authorities.includes(a)) : ctx.principal.authorities;
  if (!scope.length) return [];
  const words = s.q ? nameKey(s.q).split(" ").filter(Boolean) : [];
  const wordMatches = words.map((w) => sql`${children.searchText} like ${`% ${w}%`}`);
  return ctx.store.write(async (tx) => {
    const rows = await tx
      .select({
        id: children.id,
        authority: children.authority,
        externalId: children.externalId,
        givenNames: children.givenNames,
        familyName: children.familyName,
        dateOfBirth: children.dateOfBirth,
        expectedDateOfDelivery: children.expectedDateOfDelivery,
        postcode: childAddresses.postcode,
      })
      .from(children)
      .leftJoin(childAddresses, and(eq(childAddresses.childId, children.id), isNull(childAddresses.toDate)))
      .where(
        and(
          inArray(children.authority, scope),
          s.dateOfBirth ? eq(children.dateOfBirth, s.dateOfBirth) : undefined,
          s.after ? gt(children.id, s.after) : undefined,
          ...wordMatches,
        ),
      )
      .groupBy(children.id)
      .orderBy(asc(children.id))
      .limit(s.limit + 1);
    await recordListAudit(tx, ctx, {
      action: "child.search",
      detail: { q: s.q ?? null, dateOfBirth: s.dateOfBirth ?? null },
      items: rows.slice(0, s.limit).map((r) => ({ authority: r.authority, id: r.id, subjects: [r.id] })),
    });
    return rows;
  });
}
