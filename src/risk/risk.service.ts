/**
 * People who may pose a risk of significant harm to children (seed 000 §2.153): the designated
 * manager's record of the notifications, and the link from an enquiry to such a person. What,
 * if anything, is shared with the enquirer is the manager's decision: nothing here reaches
 * anything the enquirer can read.
 */
import { and, count, desc, eq, inArray, isNotNull, lt, lte } from "drizzle-orm";
import { recordAudit, recordListAudit } from "../audit/audit.service";
import { enqueueForCustodian } from "../db/outbox";
import { peoplePosingRisk, riskLinks, riskPersonKeys } from "../db/schema";
import type { Queryable, Tx } from "../db/store";
import type { Ctx } from "../domain/ctx";
import { londonToday } from "../lib/dates";
import { invalid, notFound } from "../lib/errors";
import { newId } from "../lib/ids";
import { addressKey } from "../register/address";
import { findAuthority } from "../register/authorities.service";
import { familyNameKey, nameKey } from "../register/names";
import { assertMayWriteTo } from "../register/scope";
import type { RiskPersonCreate, RiskPersonPatch } from "./risk.schemas";

type Row = typeof peoplePosingRisk.$inferSelect;
const target = (id: string) => ({ type: "person_posing_risk", id });

/** A person and a carer are the same when both names and the date of birth agree (api.md). */
export const personKey = (givenNames: string, familyName: string, dateOfBirth: string) =>
  `${nameKey(givenNames)}|${familyNameKey(familyName)}|${dateOfBirth}`;

function keysOf(p: Pick<Row, "id" | "authority" | "givenNames" | "familyName" | "aliases" | "dateOfBirth" | "addresses">) {
  const keys: (typeof riskPersonKeys.$inferInsert)[] = [];
  if (p.dateOfBirth)
    for (const n of [
      { givenNames: p.givenNames, familyName: p.familyName },
      ...p.aliases.map((a) => ({ givenNames: a.givenNames ?? p.givenNames, familyName: a.familyName ?? p.familyName })),
    ])
      keys.push({
        id: newId(),
        personId: p.id,
        authority: p.authority,
        kind: "name",
        value: personKey(n.givenNames, n.familyName, p.dateOfBirth),
      });
  for (const a of p.addresses.filter((x) => x.to === null)) {
    const key = addressKey(a.line1, a.postcode, a.line2);
    if (key) keys.push({ id: newId(), personId: p.id, authority: p.authority, kind: "address", value: key });
  }
  return keys;
}

async function rekey(tx: Tx, p: Row) {
  await tx.delete(riskPersonKeys).where(eq(riskPersonKeys.personId, p.id));
  const keys = keysOf(p);
  if (keys.length) await tx.insert(riskPersonKeys).values(keys);
}

function checkDates(
  ctx: Ctx,
  p: {
    dateOfBirth?: string | null | undefined;
    notifiedOn?: string | undefined;
    reviewOn?: string | null | undefined;
    addresses?: { from?: string | null; to?: string | null }[] | undefined;
  },
) {
  const today = londonToday(ctx.clock.now());
  const errors = [
    ...(p.dateOfBirth && p.dateOfBirth > today ? [{ path: "dateOfBirth", message: "is in the future" }] : []),
    ...(p.notifiedOn && p.notifiedOn > today ? [{ path: "notifiedOn", message: "is in the future" }] : []),
    ...(p.reviewOn && p.notifiedOn && p.reviewOn < p.notifiedOn ? [{ path: "reviewOn", message: "must not be before notifiedOn" }] : []),
    // An address's `to` before its `from` is refused by its schema (AddressInput).
    ...(p.addresses ?? []).flatMap((a, i) =>
      a.from && a.from > today ? [{ path: `addresses.${i}.from`, message: "is in the future" }] : [],
    ),
  ];
  if (errors.length) throw invalid("Some dates are not possible: see errors.", errors);
}

const addressesOf = (as: RiskPersonCreate["addresses"]) =>
  as.map((a) => ({
    line1: a.line1,
    line2: a.line2 ?? null,
    town: a.town ?? null,
    postcode: a.postcode ?? null,
    from: a.from ?? null,
    to: a.to ?? null,
  }));
const aliasesOf = (as: RiskPersonCreate["aliases"]) =>
  as.map((a) => ({ givenNames: a.givenNames ?? null, familyName: a.familyName ?? null }));

function view(r: Row, linked: number) {
  return {
    id: r.id,
    authority: r.authority,
    givenNames: r.givenNames,
    familyName: r.familyName,
    aliases: r.aliases,
    dateOfBirth: r.dateOfBirth,
    addresses: r.addresses.map((a) => ({ ...a, current: a.to === null })),
    notifiedBy: { agency: r.notifiedByAgency, reference: r.notifiedByReference, phone: r.notifiedByPhone },
    summary: r.summary,
    notifiedOn: r.notifiedOn,
    reviewOn: r.reviewOn,
    linkedEnquiries: linked,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

async function linkedCounts(q: Queryable, ids: string[]) {
  if (!ids.length) return new Map<string, number>();
  const rows = await q
    .select({ id: riskLinks.personId, n: count() })
    .from(riskLinks)
    .where(inArray(riskLinks.personId, ids))
    .groupBy(riskLinks.personId);
  return new Map(rows.map((r) => [r.id, r.n]));
}

async function inScope(q: Queryable, ctx: Ctx, id: string) {
  const [row] = await q.select().from(peoplePosingRisk).where(eq(peoplePosingRisk.id, id));
  if (!row || !ctx.principal.authorities.includes(row.authority))
    throw notFound("The person", { ...target(id), authority: row?.authority ?? null });
  return row;
}

export async function createRiskPerson(ctx: Ctx, input: RiskPersonCreate) {
  assertMayWriteTo(ctx, input.authority);
  checkDates(ctx, input);
  return ctx.store.write(async (tx) => {
    if (!(await findAuthority(tx, input.authority)))
      throw invalid(`Authority ${input.authority} does not exist yet.`, [{ path: "authority", message: "is not a known authority" }]);
    const now = ctx.clock.now().toISOString();
    const [row] = await tx
      .insert(peoplePosingRisk)
      .values({
        id: newId(),
        authority: input.authority,
        givenNames: input.givenNames,
        familyName: input.familyName,
        aliases: aliasesOf(input.aliases),
        dateOfBirth: input.dateOfBirth ?? null,
        addresses: addressesOf(input.addresses),
        notifiedByAgency: input.notifiedBy.agency,
        notifiedByReference: input.notifiedBy.reference ?? null,
        notifiedByPhone: input.notifiedBy.phone,
        summary: input.summary,
        notifiedOn: input.notifiedOn,
        reviewOn: input.reviewOn ?? null,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    await rekey(tx, row!);
    await recordAudit(tx, ctx, { action: "person_posing_risk.create", target: target(row!.id), authority: row!.authority });
    return view(row!, 0);
  });
}

export async function patchRiskPerson(ctx: Ctx, id: string, patch: RiskPersonPatch) {
  return ctx.store.write(async (tx) => {
    const row = await inScope(tx, ctx, id);
    // Checked as the record will stand: a review date alone is held to the recorded notification.
    checkDates(ctx, {
      ...patch,
      notifiedOn: patch.notifiedOn ?? row.notifiedOn,
      reviewOn: patch.reviewOn !== undefined ? patch.reviewOn : row.reviewOn,
    });
    const [updated] = await tx
      .update(peoplePosingRisk)
      .set({
        ...(patch.givenNames !== undefined ? { givenNames: patch.givenNames } : {}),
        ...(patch.familyName !== undefined ? { familyName: patch.familyName } : {}),
        ...(patch.aliases !== undefined ? { aliases: aliasesOf(patch.aliases) } : {}),
        ...(patch.dateOfBirth !== undefined ? { dateOfBirth: patch.dateOfBirth } : {}),
        ...(patch.addresses !== undefined ? { addresses: addressesOf(patch.addresses) } : {}),
        ...(patch.notifiedBy !== undefined
          ? {
              notifiedByAgency: patch.notifiedBy.agency,
              notifiedByReference: patch.notifiedBy.reference ?? null,
              notifiedByPhone: patch.notifiedBy.phone,
            }
          : {}),
        ...(patch.summary !== undefined ? { summary: patch.summary } : {}),
        ...(patch.notifiedOn !== undefined ? { notifiedOn: patch.notifiedOn } : {}),
        ...(patch.reviewOn !== undefined ? { reviewOn: patch.reviewOn } : {}),
        updatedAt: ctx.clock.now().toISOString(),
      })
      .where(eq(peoplePosingRisk.id, id))
      .returning();
    await rekey(tx, updated!);
    await recordAudit(tx, ctx, {
      action: "person_posing_risk.update",
      target: target(id),
      authority: row.authority,
      detail: { fields: Object.keys(patch) },
    });
    return view(updated!, (await linkedCounts(tx, [id])).get(id) ?? 0);
  });
}

export async function getRiskPerson(ctx: Ctx, id: string) {
  return ctx.store.write(async (tx) => {
    const row = await inScope(tx, ctx, id);
    await recordAudit(tx, ctx, { action: "person_posing_risk.read", target: target(id), authority: row.authority });
    return view(row, (await linkedCounts(tx, [id])).get(id) ?? 0);
  });
}

/** The manager's list, newest first. */
export async function listRiskPeople(ctx: Ctx, opts: { before?: string | undefined; limit: number }) {
  if (!ctx.principal.authorities.length) return [];
  return ctx.store.write(async (tx) => {
    const rows = await tx
      .select()
      .from(peoplePosingRisk)
      .where(
        and(inArray(peoplePosingRisk.authority, ctx.principal.authorities), opts.before ? lt(peoplePosingRisk.id, opts.before) : undefined),
      )
      .orderBy(desc(peoplePosingRisk.id))
      .limit(opts.limit + 1);
    await recordListAudit(tx, ctx, {
      action: "person_posing_risk.list",
      items: rows.slice(0, opts.limit).map((r) => ({ authority: r.authority, id: r.id, subjects: [] })),
    });
    const counts = await linkedCounts(
      tx,
      rows.map((r) => r.id),
    );
    return rows.map((r) => view(r, counts.get(r.id) ?? 0));
  });
}

/** Reviews due on or before a date, for the deadlines list (seed 000 §2.153: the manager keeps them under review). */
export async function riskReviewsDue(q: Queryable, authorities: string[], by: string) {
  if (!authorities.length) return [];
  return q
    .select({
      id: peoplePosingRisk.id,
      authority: peoplePosingRisk.authority,
      reviewOn: peoplePosingRisk.reviewOn,
      notifiedOn: peoplePosingRisk.notifiedOn,
    })
    .from(peoplePosingRisk)
    .where(and(inArray(peoplePosingRisk.authority, authorities), isNotNull(peoplePosingRisk.reviewOn), lte(peoplePosingRisk.reviewOn, by)))
    .orderBy(peoplePosingRisk.reviewOn);
}

/**
 * Inside the enquiry's write transaction: links it to each person posing risk of its authority
 * whose present address is the enquiry's present address, or who is one of its carers (both
 * names and the date of birth). Each link is an alert for the designated manager, sent through
 * the outbox too; the duty officer's item is flagged. Returns how many were linked.
 */
export async function linkEnquiryToRisk(
  tx: Tx,
  now: string,
  e: {
    id: string;
    authority: string;
    reference: string;
    presentAddressKeys: string[];
    carers: { givenNames?: string | null; familyName?: string | null; dateOfBirth?: string | null }[];
  },
): Promise<number> {
  const names = e.carers.flatMap((c) =>
    c.givenNames && c.familyName && c.dateOfBirth ? [personKey(c.givenNames, c.familyName, c.dateOfBirth)] : [],
  );
  const wanted = [
    ...e.presentAddressKeys.map((v) => ({ kind: "address" as const, v })),
    ...names.map((v) => ({ kind: "name" as const, v })),
  ];
  if (!wanted.length) return 0;
  const hits = await tx
    .select({ personId: riskPersonKeys.personId, kind: riskPersonKeys.kind, value: riskPersonKeys.value })
    .from(riskPersonKeys)
    .where(
      and(
        eq(riskPersonKeys.authority, e.authority),
        inArray(
          riskPersonKeys.value,
          wanted.map((w) => w.v),
        ),
      ),
    );
  // A value is only a hit as its own kind (an address key is never taken for a name key).
  const confirmed = [...new Set(hits.filter((h) => wanted.some((w) => w.kind === h.kind && w.v === h.value)).map((h) => h.personId))];
  for (const personId of confirmed) {
    const id = newId();
    await tx.insert(riskLinks).values({ id, authority: e.authority, enquiryId: e.id, personId, createdAt: now });
    await enqueueForCustodian(tx, now, e.authority, "enquiry_linked_to_person_posing_risk", id, e.reference);
  }
  return confirmed.length;
}

/** The designated manager's alerts of enquiries linked to people posing risk, newest first. */
export async function listRiskLinks(q: Queryable, authorities: string[], opts: { before?: string | undefined; limit: number }) {
  return q
    .select()
    .from(riskLinks)
    .where(and(inArray(riskLinks.authority, authorities), opts.before ? lt(riskLinks.id, opts.before) : undefined))
    .orderBy(desc(riskLinks.id))
    .limit(opts.limit + 1);
}
