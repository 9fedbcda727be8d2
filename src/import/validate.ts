import { and, eq, inArray, isNotNull, isNull } from "drizzle-orm";
import type { z } from "zod";
import { agencies, authorities, children, movesIn, movesOut, plans, workers } from "../db/schema";
import type { Queryable } from "../db/store";
import type { Ctx } from "../domain/ctx";
import { implausibleDelivery, londonToday } from "../lib/dates";
import type { FieldError } from "../lib/errors";
import { fieldErrors } from "../lib/errors";
import { findForbiddenText } from "../lib/text";
import { refusedWhileWaiting, type WaitingMove } from "../register/moves-waiting";
import { ImportLine } from "./import.schemas";

export interface LineErrors {
  line: number;
  errors: FieldError[];
}

/** What every line is checked against, loaded once: the caller's authorities and their workers. */
export class ImportContext {
  private workersByAuthority = new Map<string, Map<string, string>>();
  private known = new Map<string, boolean>();
  private agencies = new Map<string, boolean>();
  readonly today: string;
  constructor(
    private q: Queryable,
    private ctx: Ctx,
  ) {
    this.today = londonToday(ctx.clock.now());
  }

  async authorityKnown(code: string) {
    if (!this.known.has(code))
      this.known.set(code, (await this.q.select({ c: authorities.code }).from(authorities).where(eq(authorities.code, code))).length > 0);
    return this.known.get(code)!;
  }

  /** Start dates of the child's current plans already on the register (none for a child not yet imported). */
  async currentPlanStarts(authority: string, externalId: string) {
    const rows = await this.q
      .select({ startDate: plans.startDate })
      .from(plans)
      .innerJoin(children, eq(children.id, plans.childId))
      .where(and(eq(children.authority, authority), eq(children.externalId, externalId), isNull(plans.endDate)));
    return rows.map((r) => r.startDate);
  }

  /** The authority's workers by their case-system id. */
  async workers(code: string) {
    let map = this.workersByAuthority.get(code);
    if (!map) {
      const rows = await this.q
        .select({ id: workers.id, externalId: workers.externalId })
        .from(workers)
        .where(and(eq(workers.authority, code), isNotNull(workers.externalId)));
      map = new Map(rows.map((r) => [r.externalId!, r.id]));
      this.workersByAuthority.set(code, map);
    }
    return map;
  }

  /** Whether each agency id is on the register, remembered for the rest of the import. */
  async agencyKnown(id: string) {
    if (!this.agencies.has(id))
      this.agencies.set(id, (await this.q.select({ id: agencies.id }).from(agencies).where(eq(agencies.id, id))).length > 0);
    return this.agencies.get(id)!;
  }

  actsFor = (code: string) => this.ctx.principal.authorities.includes(code);

  private pending?: Map<string, PendingMove[]>;
  /** Read the moves again at the next line: the writing pass does so batch by batch, so a move recorded meanwhile is seen. */
  forgetMoves() {
    this.pending = undefined;
  }
  /**
   * The moves a plan of this child waits on (a move out unconfirmed, a move in unsettled), by
   * the plan's start. Moves are few: all the caller's are read once, not a query a line.
   */
  async pendingMoves(authority: string, externalId: string): Promise<PendingMove[]> {
    if (!this.pending) {
      const scope = this.ctx.principal.authorities;
      const [out, into] = scope.length
        ? await Promise.all([
            this.q
              .select({ authority: children.authority, externalId: children.externalId, startDate: plans.startDate, id: movesOut.id })
              .from(movesOut)
              .innerJoin(children, eq(children.id, movesOut.childId))
              .innerJoin(plans, eq(plans.id, movesOut.planId))
              .where(and(isNull(movesOut.confirmedOn), inArray(children.authority, scope), isNotNull(children.externalId))),
            this.q
              .select({ authority: children.authority, externalId: children.externalId, startDate: plans.startDate, id: movesIn.id })
              .from(movesIn)
              .innerJoin(children, eq(children.id, movesIn.childId))
              .innerJoin(plans, eq(plans.id, movesIn.planId))
              .where(
                and(
                  isNull(movesIn.outcome),
                  isNull(movesIn.handoverOf),
                  inArray(children.authority, scope),
                  isNotNull(children.externalId),
                ),
              ),
          ])
        : [[], []];
      this.pending = new Map();
      for (const [kind, rows] of [
        ["move_out", out],
        ["move_in", into],
      ] as const)
        for (const r of rows) {
          const key = `${r.authority}\u0000${r.externalId}`;
          this.pending.set(key, [...(this.pending.get(key) ?? []), { kind, id: r.id, startDate: r.startDate }]);
        }
    }
    return this.pending.get(`${authority}\u0000${externalId}`) ?? [];
  }
}

/** A move waiting on one of the child's plans, known by the plan's start (the line's key for a plan). */
interface PendingMove extends WaitingMove {
  startDate: string;
}

/**
 * One NDJSON line through its schema, with the text rule every body obeys (no control,
 * direction-override or unpaired surrogate characters, checked on the line as sent).
 */
export function parseLine<T extends z.ZodType>(
  schema: T,
  text: string,
): { ok: true; data: z.output<T> } | { ok: false; errors: FieldError[] } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, errors: [{ path: "(line)", message: "is not valid JSON" }] };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error) };
  const forbidden = findForbiddenText(json);
  return forbidden ? { ok: false, errors: [forbidden] } : { ok: true, data: parsed.data };
}

/** Parses one line and checks the rules a schema cannot: scope, workers, dates, plan consistency. */
export async function checkLine(
  text: string,
  ic: ImportContext,
): Promise<{ ok: true; line: ImportLine } | { ok: false; errors: FieldError[] }> {
  const parsed = parseLine(ImportLine, text);
  if (!parsed.ok) return parsed;
  const c = parsed.data;
  const errors: FieldError[] = [];
  const future = (d: string | null | undefined, path: string) => {
    if (d && d > ic.today) errors.push({ path, message: "must not be in the future" });
  };
  if (!ic.actsFor(c.authority)) errors.push({ path: "authority", message: "is not one of your authorities" });
  else if (!(await ic.authorityKnown(c.authority))) errors.push({ path: "authority", message: "is not a known authority" });
  future(c.dateOfBirth, "dateOfBirth");
  const delivery = c.expectedDateOfDelivery ? implausibleDelivery(c.expectedDateOfDelivery, ic.today, true) : null;
  if (delivery) errors.push({ path: "expectedDateOfDelivery", message: delivery });
  c.addresses.forEach((a, i) => {
    future(a.from, `addresses.${i}.from`);
  });
  c.people?.forEach((p, i) => {
    future(p.dateOfBirth, `people.${i}.dateOfBirth`);
  });
  const staff = errors.length ? new Map<string, string>() : await ic.workers(c.authority);
  c.cases.forEach((k, i) => {
    if (!errors.some((e) => e.path === "authority") && !staff.has(k.keyWorkerExternalId))
      errors.push({ path: `cases.${i}.keyWorkerExternalId`, message: `no worker ${k.keyWorkerExternalId} in ${c.authority}` });
    future(k.openedOn, `cases.${i}.openedOn`);
    if (k.closedOn && k.closedOn < k.openedOn) errors.push({ path: `cases.${i}.closedOn`, message: "must not be before openedOn" });
  });
  const starts = new Set<string>();
  c.plans.forEach((p, i) => {
    future(p.startDate, `plans.${i}.startDate`);
    future(p.endDate, `plans.${i}.endDate`);
    if (!p.endDate !== !p.endReason) errors.push({ path: `plans.${i}.endReason`, message: "endDate and endReason go together" });
    if (p.endDate && p.endDate < p.startDate) errors.push({ path: `plans.${i}.endDate`, message: "must not be before startDate" });
    if (p.temporary && !p.originatingAuthority)
      errors.push({ path: `plans.${i}.originatingAuthority`, message: "is required when temporary is true" });
    if (new Set(p.categories).size !== p.categories.length)
      errors.push({ path: `plans.${i}.categories`, message: "must not repeat a category" });
    if (starts.has(p.startDate)) errors.push({ path: `plans.${i}.startDate`, message: "two plans cannot start on the same day" });
    starts.add(p.startDate);
  });
  if (c.plans.filter((p) => !p.endDate).length > 1) errors.push({ path: "plans", message: "at most one plan can be current" });
  // A child has one current plan. One already on the register (say, entered by hand after a
  // conference tonight) that this line neither lists nor ends would clash when written; caught
  // here, so the whole file is refused before anything is written rather than part-way through.
  if (!errors.length && c.plans.some((p) => !p.endDate)) {
    const clash = (await ic.currentPlanStarts(c.authority, c.externalId)).find((start) => !starts.has(start));
    if (clash)
      errors.push({
        path: "plans",
        message: `the register already holds a current plan from ${clash} for this child that this line does not list: include it (ended, or as the current plan) or end it on the register first`,
      });
  }
  // Seed 004 §41: a current plan ends as moved_authority only when the receiving authority
  // confirms a move out recorded here; a plan that ended so before it reached the register is history.
  if (!errors.length && c.plans.some((p) => p.endReason === "moved_authority")) {
    const current = new Set(await ic.currentPlanStarts(c.authority, c.externalId));
    c.plans.forEach((p, i) => {
      if (p.endReason === "moved_authority" && current.has(p.startDate))
        errors.push({
          path: `plans.${i}.endReason`,
          message:
            "a current plan ends with moved_authority only by a move out's confirmation (POST /v1/children/{id}/moves-out, then POST /v1/moves-out/{id}/confirmation)",
        });
    });
  }
  // Seed 004 §41, §63-65: what a move waiting on a plan decides, the case system does not.
  if (!errors.some((e) => e.path === "authority") && c.plans.length)
    for (const move of await ic.pendingMoves(c.authority, c.externalId)) {
      const i = c.plans.findIndex((p) => p.startDate === move.startDate);
      const p = c.plans[i];
      if (!p) continue;
      for (const e of refusedWhileWaiting(move, p)) errors.push({ ...e, path: `plans.${i}.${e.path}` });
    }
  // Conferences are matched to the register's by type, day and outcome: two alike in one line could not be told apart.
  const conferencesSeen = new Set<string>();
  for (const [i, k] of c.conferences.entries()) {
    const key = `${k.type} ${k.heldOn} ${k.outcome}`;
    if (conferencesSeen.has(key))
      errors.push({ path: `conferences.${i}`, message: "repeats an earlier conference of this line (same type, day and outcome)" });
    conferencesSeen.add(key);
    future(k.heldOn, `conferences.${i}.heldOn`);
    for (const [j, agencyId] of (k.agenciesRepresented ?? []).entries())
      if (!(await ic.agencyKnown(agencyId)))
        errors.push({ path: `conferences.${i}.agenciesRepresented.${j}`, message: `no agency ${agencyId}` });
  }
  return errors.length ? { ok: false, errors } : { ok: true, line: c };
}

/**
 * The first pass: every line is checked before anything is written. Returns the bad lines
 * (up to `maxReported`, with the total) and the number of lines.
 */
export async function validateImport(
  ic: ImportContext,
  source: AsyncIterable<string>,
  opts: { maxReported?: number; onLine?: (n: number) => void } = {},
) {
  const max = opts.maxReported ?? 1000;
  const bad: LineErrors[] = [];
  let invalid = 0;
  let n = 0;
  // Compact keys, so that a million external ids fit in tens of MB, not hundreds.
  const seen = new Set<string>();
  for await (const text of source) {
    n++;
    opts.onLine?.(n);
    if (!text.trim()) continue;
    const checked = await checkLine(text, ic);
    let errors = checked.ok ? [] : checked.errors;
    if (checked.ok) {
      const key = `${checked.line.authority}\u0000${checked.line.externalId}`;
      if (seen.has(key)) errors = [{ path: "externalId", message: `${checked.line.externalId} appears on an earlier line too` }];
      seen.add(key);
    }
    if (errors.length) {
      invalid++;
      if (bad.length < max) bad.push({ line: n, errors });
    }
  }
  return { lines: n, invalid, bad };
}
