import { and, asc, eq, exists, inArray, isNotNull, isNull, or, type SQL, sql } from "drizzle-orm";
import { recordListAudit } from "../audit/audit.service";
import { children, movesIn, plans } from "../db/schema";
import type { Queryable } from "../db/store";
import type { Ctx } from "../domain/ctx";
import { csvRow } from "../lib/csv";
import { londonToday } from "../lib/dates";
import { AppError, invalid } from "../lib/errors";
import { loadPlanCategories } from "./child-record";
import { displayName } from "./names";
import { openCasesOf } from "./open-cases";

/** The values `onPlan` takes: only the children on a plan now. */
export const ON_PLAN_VALUES = ["current"] as const;

/**
 * The query of `GET /v1/children?onPlan=`: a value it does not know, or a name search asked
 * for with it (a list and a search are different reads, audited differently), is 422.
 */
export function checkOnPlanQuery(q: { onPlan: string; q?: string | undefined; dateOfBirth?: string | undefined }) {
  if (!(ON_PLAN_VALUES as readonly string[]).includes(q.onPlan))
    throw invalid(`onPlan takes ${ON_PLAN_VALUES.map((v) => `"${v}"`).join(", ")}.`, [
      { path: "onPlan", message: `must be one of: ${ON_PLAN_VALUES.join(", ")}` },
    ]);
  const both = [q.q !== undefined ? "q" : null, q.dateOfBirth !== undefined ? "dateOfBirth" : null].filter((p) => p !== null);
  if (both.length)
    throw invalid("List the children on a plan (onPlan) or search by name and date of birth (q, dateOfBirth), not both.", [
      ...both.map((path) => ({ path, message: "cannot be given with onPlan" })),
    ]);
}

export interface OnPlanQuery {
  authority?: string | undefined;
  /** The id of the last child of the page before (the cursor): a name never goes into an address. */
  after?: string | undefined;
  limit: number;
}

/** Whose plan it is: the plan's authority, or (on plans recorded before that column) the child's. */
const planAuthority = sql<string>`coalesce(${plans.authority}, ${children.authority})`;

/**
 * Where the page after `after` starts. The order is by the folded family name, then the folded
 * given names ("de Souza" with "De Souza", "Zoë" with "Zoe"), then the id, so it is total and
 * a page's last child says where the next begins.
 */
async function startAfter(q: Queryable, scope: string[], after: string | undefined): Promise<SQL | undefined> {
  if (after === undefined) return undefined;
  // Only a child with a plan of the reader's authorities, or moving in to one: another
  // authority's child, like an id that does not exist, is no cursor (else the answer would say
  // it exists and where it sorts).
  const [k] = await q
    .select({ f: children.familyKey, g: children.givenKey })
    .from(children)
    .where(
      and(
        eq(children.id, after),
        or(
          exists(
            q
              .select({ one: sql`1` })
              .from(plans)
              .where(and(eq(plans.childId, children.id), inArray(planAuthority, scope))),
          ),
          exists(
            q
              .select({ one: sql`1` })
              .from(movesIn)
              .where(and(eq(movesIn.childId, children.id), inArray(movesIn.authority, scope))),
          ),
        ),
      ),
    )
    .limit(1);
  if (!k)
    throw new AppError("malformed", "The cursor is not one this service gave out.", {
      errors: [{ path: "cursor", message: "is not valid" }],
    });
  return sql`(${children.familyKey}, ${children.givenKey}, ${children.id}) > (${k.f}, ${k.g}, ${after})`;
}

/**
 * A child moving in from another authority of this deployment keeps the sending authority's plan
 * until the receiving-in outcome hands the record over (seed 004 §41); meanwhile it is placed
 * with the receiving authority, whose list holds it too, as temporary (seed 001 7.12.2).
 */
const handoverTo = (q: Queryable, scope: string[]) =>
  q
    .select({ planId: movesIn.planId, authority: movesIn.authority })
    .from(movesIn)
    .where(and(isNull(movesIn.outcome), isNotNull(movesIn.handoverOf), inArray(movesIn.authority, scope)))
    .as("handover_to");

async function readPage(q: Queryable, scope: string[], o: OnPlanQuery) {
  const handover = handoverTo(q, scope);
  const own = inArray(planAuthority, scope);
  const rows = await q
    .select({
      id: children.id,
      authority: sql<string>`case when ${own} then ${planAuthority} else ${handover.authority} end`,
      placedHere: sql<number>`not (${own})`.mapWith(Boolean),
      givenNames: children.givenNames,
      familyName: children.familyName,
      dateOfBirth: children.dateOfBirth,
      expectedDateOfDelivery: children.expectedDateOfDelivery,
      planId: plans.id,
      startDate: plans.startDate,
      temporary: plans.temporary,
    })
    .from(plans)
    .innerJoin(children, eq(children.id, plans.childId))
    .leftJoin(handover, eq(handover.planId, plans.id))
    .where(and(isNull(plans.endDate), or(own, isNotNull(handover.planId)), await startAfter(q, scope, o.after)))
    .orderBy(asc(children.familyKey), asc(children.givenKey), asc(children.id))
    .limit(o.limit + 1);
  if (!rows.length) return [];
  const [history, open] = await Promise.all([
    loadPlanCategories(
      q,
      rows.map((r) => r.planId),
    ),
    // The open case's key worker, as the answer names it (`caseSummary`): the latest opened.
    openCasesOf(
      q,
      rows.map((r) => r.id),
    ),
  ]);
  const keyWorker = new Map<string, { id: string; name: string; phone?: string } | null>();
  for (const k of open)
    if (!keyWorker.has(k.childId))
      keyWorker.set(k.childId, k.workerId && k.name ? { id: k.workerId, name: k.name, ...(k.phone ? { phone: k.phone } : {}) } : null);
  return rows.map((r) => ({
    id: r.id,
    authority: r.authority,
    name: displayName(r.givenNames, r.familyName),
    dateOfBirth: r.dateOfBirth,
    expectedDateOfDelivery: r.expectedDateOfDelivery,
    // An open row is a category the plan holds now (`planView`).
    categories: history.filter((h) => h.planId === r.planId && h.toDate === null).map((h) => h.category),
    startDate: r.startDate,
    temporary: r.temporary || r.placedHere,
    keyWorker: keyWorker.get(r.id) ?? null,
  }));
}

export type ChildOnPlan = Awaited<ReturnType<typeof readPage>>[number];

/**
 * Seed 001 7.12.2: the custodian's list of every child of the caller's authorities on a plan
 * now, those moved in on another authority's plan (temporary) included. One page, with one
 * child more than the page holds when there is a next page. The page is read in one snapshot
 * and handed over only once its audit entry (each child listed a subject) is committed.
 */
export async function listChildrenOnPlan(ctx: Ctx, o: OnPlanQuery, format: "json" | "csv" | "html" = "json") {
  const scope = o.authority ? [o.authority].filter((a) => ctx.principal.authorities.includes(a)) : ctx.principal.authorities;
  const rows = scope.length ? await ctx.store.snapshot((db) => readPage(db, scope, o)) : [];
  await ctx.store.write((tx) =>
    recordListAudit(tx, ctx, {
      action: "child.list_on_plan",
      detail: { onPlan: "current", format, authority: o.authority ?? null },
      items: rows.slice(0, o.limit).map((r) => ({ authority: r.authority, id: r.id, subjects: [r.id] })),
    }),
  );
  return rows;
}

/** The CSV's pages: each read and audited as a page of the list is. */
const CSV_PAGE = 1000;

const CSV_HEADER = [
  "id",
  "authority",
  "name",
  "dateOfBirth",
  "expectedDateOfDelivery",
  "categories",
  "startDate",
  "temporary",
  "keyWorkerId",
  "keyWorkerName",
  "keyWorkerPhone",
];

const csvLine = (c: ChildOnPlan) =>
  csvRow([
    c.id,
    c.authority,
    c.name,
    c.dateOfBirth,
    c.expectedDateOfDelivery,
    c.categories.join(";"),
    c.startDate,
    c.temporary,
    c.keyWorker?.id,
    c.keyWorker?.name,
    c.keyWorker?.phone,
  ]);

/**
 * The whole list as CSV (header row first), read a page at a time so each page's audit entry
 * is committed before any of it is sent; the body goes out whole or not at all (an error on a
 * later page is a problem response, not a list cut short).
 */
export async function childrenOnPlanCsv(ctx: Ctx, o: { authority?: string | undefined }) {
  let out = csvRow(CSV_HEADER);
  let after: string | undefined;
  for (;;) {
    const rows = await listChildrenOnPlan(ctx, { authority: o.authority, after, limit: CSV_PAGE }, "csv");
    const shown = rows.slice(0, CSV_PAGE);
    out += shown.map(csvLine).join("");
    if (rows.length <= CSV_PAGE) break;
    after = shown[shown.length - 1]!.id;
  }
  return {
    body: out,
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="children-on-a-plan-${londonToday(ctx.clock.now())}.csv"`,
    },
  };
}
