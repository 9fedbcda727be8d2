import { and, eq, inArray, isNull } from "drizzle-orm";
import {
  cases,
  childAddresses,
  childAliases,
  childPeople,
  childPersonNames,
  children,
  conferenceAgencies,
  conferences,
  planCategoryHistory,
  plans,
} from "../db/schema";
import type { Tx } from "../db/store";
import { AppError } from "../lib/errors";
import { newId } from "../lib/ids";
import { addressRows, aliasRows, childColumns, peopleRows } from "../register/child-rows";
import { movesWaitingOn, refusedWhileWaiting } from "../register/moves-waiting";
import { afterPlanEnded } from "../register/plan-ended";
import type { ImportLine } from "./import.schemas";

export interface Parsed {
  line: ImportLine;
  hash: string;
}

/** A stable hash of a line's content: the same child exported twice gives the same hash. */
export async function lineHash(line: ImportLine): Promise<string> {
  const bytes = new TextEncoder().encode(JSON.stringify(line));
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  let hex = "";
  for (const b of digest.subarray(0, 16)) hex += b.toString(16).padStart(2, "0");
  return hex;
}

// SQLite allows 32,766 bound values a statement; chunks stay well under it.
async function insertChunked<T>(rows: T[], columns: number, insert: (chunk: T[]) => Promise<unknown>) {
  const size = Math.max(1, Math.floor(8000 / columns));
  for (let i = 0; i < rows.length; i += size) await insert(rows.slice(i, i + size));
}

const importedColumns = (l: ImportLine, hash: string, now: string) => ({ ...childColumns(l), importHash: hash, updatedAt: now });

type Workers = (authority: string) => Promise<Map<string, string>>;

/** What an import did to one child, for its own audit entry. */
export interface ChildChange {
  childId: string;
  authority: string;
  externalId: string;
  change: "created" | "updated";
  /** For an update, the parts of the record that differ from what the register held. */
  parts?: string[];
}

const ownFields = ["givenNames", "familyName", "dateOfBirth", "expectedDateOfDelivery", "sex", "nhsNumber", "householdNote"] as const;
type OwnFields = { [K in (typeof ownFields)[number]]: string | null };

// Aliases and addresses are replaced wholesale; compared as sets of their stored values, so a
// reordering alone is not reported as a change.
const setOf = (rows: unknown[][]) => JSON.stringify(rows.map((r) => JSON.stringify(r)).sort());
const byChild = <T extends { childId: string }>(rows: T[]) => {
  const map = new Map<string, T[]>();
  for (const r of rows) map.set(r.childId, [...(map.get(r.childId) ?? []), r]);
  return map;
};

/**
 * Writes one batch of checked lines in the caller's transaction: new children are
 * inserted, changed ones updated (aliases and addresses replaced; cases, plans and
 * conferences matched by their dates so that their history is kept), unchanged ones left
 * alone.
 */
export async function applyBatch(tx: Tx, batch: Parsed[], now: string, today: string, workersOf: Workers) {
  const byAuthority = new Map<string, Parsed[]>();
  for (const p of batch) byAuthority.set(p.line.authority, [...(byAuthority.get(p.line.authority) ?? []), p]);
  const existing = new Map<string, { id: string; importHash: string | null } & OwnFields>();
  for (const [authority, group] of byAuthority) {
    const rows = await tx
      .select({
        id: children.id,
        externalId: children.externalId,
        importHash: children.importHash,
        givenNames: children.givenNames,
        familyName: children.familyName,
        dateOfBirth: children.dateOfBirth,
        expectedDateOfDelivery: children.expectedDateOfDelivery,
        sex: children.sex,
        nhsNumber: children.nhsNumber,
        householdNote: children.householdNote,
      })
      .from(children)
      .where(
        and(
          eq(children.authority, authority),
          inArray(
            children.externalId,
            group.map((g) => g.line.externalId),
          ),
        ),
      );
    for (const r of rows) existing.set(`${authority}\u0000${r.externalId}`, r);
  }

  const fresh: { id: string; p: Parsed }[] = [];
  const changed: { id: string; p: Parsed; old: OwnFields }[] = [];
  let unchanged = 0;
  for (const p of batch) {
    const found = existing.get(`${p.line.authority}\u0000${p.line.externalId}`);
    if (!found) fresh.push({ id: newId(), p });
    else if (found.importHash === p.hash) unchanged++;
    else changed.push({ id: found.id, p, old: found });
  }

  if (fresh.length)
    await insertChunked(fresh, 20, (chunk) =>
      tx.insert(children).values(
        chunk.map(({ id, p }) => ({
          id,
          authority: p.line.authority,
          externalId: p.line.externalId,
          createdAt: now,
          ...importedColumns(p.line, p.hash, now),
        })),
      ),
    );
  for (const { id, p } of changed)
    await tx
      .update(children)
      .set(importedColumns(p.line, p.hash, now))
      .where(eq(children.id, id));

  const all = [...fresh, ...changed];
  const changedIds = changed.map((c) => c.id);
  const parts = new Map<string, Set<string>>(changedIds.map((id) => [id, new Set()]));
  if (changedIds.length) {
    const [oldAliases, oldAddresses] = await Promise.all([
      tx
        .select({ childId: childAliases.childId, givenNames: childAliases.givenNames, familyName: childAliases.familyName })
        .from(childAliases)
        .where(inArray(childAliases.childId, changedIds)),
      tx
        .select({
          childId: childAddresses.childId,
          line1: childAddresses.line1,
          line2: childAddresses.line2,
          town: childAddresses.town,
          postcode: childAddresses.postcode,
          fromDate: childAddresses.fromDate,
          toDate: childAddresses.toDate,
        })
        .from(childAddresses)
        .where(inArray(childAddresses.childId, changedIds)),
    ]);
    const aliasesOf = byChild(oldAliases);
    const addressesOf = byChild(oldAddresses);
    for (const { id, p, old } of changed) {
      const cols = childColumns(p.line);
      const touched = parts.get(id)!;
      if (ownFields.some((f) => cols[f] !== old[f])) touched.add("details");
      const aliasesWere = (aliasesOf.get(id) ?? []).map((a) => [a.givenNames, a.familyName]);
      if (setOf(aliasesWere) !== setOf(p.line.aliases.map((a) => [a.givenNames ?? null, a.familyName ?? null]))) touched.add("aliases");
      const addressesWere = (addressesOf.get(id) ?? []).map((a) => [a.line1, a.line2, a.town, a.postcode, a.fromDate, a.toDate]);
      const addressesNow = p.line.addresses.map((a) => [
        a.line1,
        a.line2 ?? null,
        a.town ?? null,
        a.postcode ?? null,
        a.from ?? null,
        a.to ?? null,
      ]);
      if (setOf(addressesWere) !== setOf(addressesNow)) touched.add("addresses");
    }
    await tx.delete(childAliases).where(inArray(childAliases.childId, changedIds));
    await tx.delete(childAddresses).where(inArray(childAddresses.childId, changedIds));
  }
  const aliases = all.flatMap(({ id, p }) => aliasRows(id, p.line.aliases, p.line.dateOfBirth ?? null));
  const addresses = all.flatMap(({ id, p }) => addressRows(id, p.line.addresses));
  await insertChunked(aliases, 7, (chunk) => tx.insert(childAliases).values(chunk));
  await insertChunked(addresses, 9, (chunk) => tx.insert(childAddresses).values(chunk));
  await applyPeople(tx, all, new Set(changedIds), (childId) => parts.get(childId)?.add("people"));

  await applyHistory(tx, all, changedIds, now, today, workersOf, (childId, part) => parts.get(childId)?.add(part));
  const changes: ChildChange[] = [
    ...fresh.map(({ id, p }) => ({ childId: id, authority: p.line.authority, externalId: p.line.externalId, change: "created" as const })),
    ...changed.map(({ id, p }) => ({
      childId: id,
      authority: p.line.authority,
      externalId: p.line.externalId,
      change: "updated" as const,
      parts: [...parts.get(id)!],
    })),
  ];
  return { created: fresh.length, updated: changed.length, unchanged, changes };
}

/** A line that gives `people` replaces the child's; a line that leaves them out keeps them. */
async function applyPeople(tx: Tx, all: { id: string; p: Parsed }[], changed: Set<string>, touched: (childId: string) => void) {
  const giving = all.filter(({ p }) => p.line.people !== undefined);
  if (!giving.length) return;
  const replacedIds = giving.map(({ id }) => id).filter((id) => changed.has(id));
  if (replacedIds.length) {
    const before = await tx
      .select({
        childId: childPeople.childId,
        givenNames: childPeople.givenNames,
        familyName: childPeople.familyName,
        aliases: childPeople.aliases,
        dateOfBirth: childPeople.dateOfBirth,
        relationship: childPeople.relationship,
        livesWithChild: childPeople.livesWithChild,
      })
      .from(childPeople)
      .where(inArray(childPeople.childId, replacedIds))
      .orderBy(childPeople.childId, childPeople.position);
    const was = byChild(before);
    for (const { id, p } of giving) {
      if (!changed.has(id)) continue;
      const now = peopleRows(id, p.line.people!).persons.map((x) => [
        x.givenNames,
        x.familyName,
        JSON.stringify(x.aliases),
        x.dateOfBirth,
        x.relationship,
        x.livesWithChild,
      ]);
      const then = (was.get(id) ?? []).map((x) => [
        x.givenNames,
        x.familyName,
        JSON.stringify(x.aliases),
        x.dateOfBirth,
        x.relationship,
        x.livesWithChild,
      ]);
      if (JSON.stringify(now) !== JSON.stringify(then)) touched(id);
    }
    await tx.delete(childPersonNames).where(inArray(childPersonNames.childId, replacedIds));
    await tx.delete(childPeople).where(inArray(childPeople.childId, replacedIds));
  }
  const rows = giving.map(({ id, p }) => peopleRows(id, p.line.people!));
  await insertChunked(
    rows.flatMap((r) => r.persons),
    9,
    (chunk) => tx.insert(childPeople).values(chunk),
  );
  await insertChunked(
    rows.flatMap((r) => r.names),
    7,
    (chunk) => tx.insert(childPersonNames).values(chunk),
  );
}

async function applyHistory(
  tx: Tx,
  all: { id: string; p: Parsed }[],
  changedIds: string[],
  now: string,
  today: string,
  workersOf: Workers,
  touched: (childId: string, part: string) => void,
) {
  const [oldCases, oldPlans, oldConfs, openCats, oldConfAgencies] = changedIds.length
    ? await Promise.all([
        tx.select().from(cases).where(inArray(cases.childId, changedIds)),
        tx.select().from(plans).where(inArray(plans.childId, changedIds)),
        tx.select().from(conferences).where(inArray(conferences.childId, changedIds)),
        tx
          .select({ h: planCategoryHistory, childId: plans.childId })
          .from(planCategoryHistory)
          .innerJoin(plans, eq(plans.id, planCategoryHistory.planId))
          .where(and(inArray(plans.childId, changedIds), isNull(planCategoryHistory.toDate))),
        tx
          .select({ conferenceId: conferenceAgencies.conferenceId, agencyId: conferenceAgencies.agencyId })
          .from(conferenceAgencies)
          .innerJoin(conferences, eq(conferences.id, conferenceAgencies.conferenceId))
          .where(inArray(conferences.childId, changedIds)),
      ])
    : [[], [], [], [], []];

  const newCases: (typeof cases.$inferInsert)[] = [];
  const newPlans: (typeof plans.$inferInsert)[] = [];
  const newCats: (typeof planCategoryHistory.$inferInsert)[] = [];
  const newConfs: (typeof conferences.$inferInsert)[] = [];
  const newConfAgencies: (typeof conferenceAgencies.$inferInsert)[] = [];
  const replacedConfAgencies: string[] = [];
  // Current plans this batch ends: told of, once the conferences are written (seed 004 §47).
  const ended: { id: string; endDate: string; endReason: string }[] = [];
  // Plans whose end or temporary status this batch changes: a move may wait on them.
  const changedPlans = new Map<string, { endReason?: string | null; temporary: boolean }>();

  for (const { id: childId, p } of all) {
    const staff = await workersOf(p.line.authority);
    for (const k of p.line.cases) {
      const keyWorkerId = staff.get(k.keyWorkerExternalId) ?? null;
      const old = oldCases.find((o) => o.childId === childId && o.type === k.type && o.openedOn === k.openedOn);
      if (!old) {
        newCases.push({
          id: newId(),
          childId,
          type: k.type,
          openedOn: k.openedOn,
          closedOn: k.closedOn ?? null,
          keyWorkerId,
          createdAt: now,
        });
        touched(childId, "cases");
      } else if (old.closedOn !== (k.closedOn ?? null) || old.keyWorkerId !== keyWorkerId) {
        await tx
          .update(cases)
          .set({ closedOn: k.closedOn ?? null, keyWorkerId })
          .where(eq(cases.id, old.id));
        touched(childId, "cases");
      }
    }
    for (const pl of p.line.plans) {
      const old = oldPlans.find((o) => o.childId === childId && o.startDate === pl.startDate);
      if (!old) {
        const planId = newId();
        newPlans.push({
          id: planId,
          childId,
          authority: p.line.authority,
          startDate: pl.startDate,
          endDate: pl.endDate ?? null,
          endReason: pl.endReason ?? null,
          temporary: pl.temporary,
          originatingAuthority: pl.originatingAuthority ?? null,
          createdAt: now,
        });
        for (const category of pl.categories) newCats.push({ id: newId(), planId, category, fromDate: pl.startDate });
        touched(childId, "plans");
        continue;
      }
      if (old.endDate !== (pl.endDate ?? null) || old.endReason !== (pl.endReason ?? null) || old.temporary !== pl.temporary) {
        await tx
          .update(plans)
          .set({
            endDate: pl.endDate ?? null,
            endReason: pl.endReason ?? null,
            temporary: pl.temporary,
            originatingAuthority: pl.originatingAuthority ?? null,
          })
          .where(eq(plans.id, old.id));
        if (old.endDate === null && pl.endDate) ended.push({ id: old.id, endDate: pl.endDate, endReason: pl.endReason! });
        changedPlans.set(old.id, { endReason: old.endDate === null ? pl.endReason : null, temporary: pl.temporary });
        touched(childId, "plans");
      }
      // A change of category is history: the dropped ones close today, the new ones open today.
      const open = openCats.filter((c) => c.h.planId === old.id).map((c) => c.h);
      const dropped = open.filter((h) => !pl.categories.includes(h.category));
      const changedOn = pl.endDate && pl.endDate < today ? pl.endDate : today;
      const added = pl.categories.filter((category) => !open.some((h) => h.category === category));
      if (dropped.length)
        await tx
          .update(planCategoryHistory)
          .set({ toDate: changedOn })
          .where(
            inArray(
              planCategoryHistory.id,
              dropped.map((h) => h.id),
            ),
          );
      for (const category of added) newCats.push({ id: newId(), planId: old.id, category, fromDate: changedOn });
      if (dropped.length || added.length) touched(childId, "planCategories");
    }
    for (const k of p.line.conferences) {
      const old = oldConfs.find((o) => o.childId === childId && o.type === k.type && o.heldOn === k.heldOn && o.outcome === k.outcome);
      const given = k.agenciesRepresented;
      if (!old) {
        const conferenceId = newId();
        newConfs.push({ id: conferenceId, childId, type: k.type, heldOn: k.heldOn, outcome: k.outcome, createdAt: now });
        for (const agencyId of given ?? []) newConfAgencies.push({ conferenceId, agencyId });
        touched(childId, "conferences");
        continue;
      }
      // Given, the line's agencies replace the conference's; left out, they stay.
      const were = oldConfAgencies.filter((a) => a.conferenceId === old.id).map((a) => a.agencyId);
      if (given && JSON.stringify([...were].sort()) !== JSON.stringify([...given].sort())) {
        replacedConfAgencies.push(old.id);
        for (const agencyId of given) newConfAgencies.push({ conferenceId: old.id, agencyId });
        touched(childId, "conferences");
      }
    }
  }
  await insertChunked(newCases, 7, (chunk) => tx.insert(cases).values(chunk));
  await insertChunked(newPlans, 8, (chunk) => tx.insert(plans).values(chunk));
  await insertChunked(newCats, 5, (chunk) => tx.insert(planCategoryHistory).values(chunk));
  await insertChunked(newConfs, 6, (chunk) => tx.insert(conferences).values(chunk));
  if (replacedConfAgencies.length)
    await tx.delete(conferenceAgencies).where(inArray(conferenceAgencies.conferenceId, replacedConfAgencies));
  await insertChunked(newConfAgencies, 2, (chunk) => tx.insert(conferenceAgencies).values(chunk));
  await assertNoMoveWaits(tx, changedPlans);
  for (const plan of ended) await afterPlanEnded(tx, now, plan.id, plan.endDate, plan.endReason);
}

/**
 * The check `checkLine` made (moves-waiting.ts), made again inside the batch's transaction: a
 * move recorded while a long import ran is seen, and the batch is refused, not written.
 */
async function assertNoMoveWaits(tx: Tx, changed: Map<string, { endReason?: string | null; temporary: boolean }>) {
  for (const move of await movesWaitingOn(tx, [...changed.keys()]))
    if (refusedWhileWaiting(move, changed.get(move.planId)!).length)
      throw new AppError(
        "conflict",
        "A move was recorded for a child of this import while it ran, and its plan now waits on that move's decision: the rest was not imported. Import the file again.",
      );
}
