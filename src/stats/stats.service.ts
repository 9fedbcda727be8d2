/**
 * Statistics for the Safeguarding Children Board (seed 004 §54): what the register held and
 * what the enquiry service did over a period, for the designated manager's authorities.
 *
 * Small numbers identify children: counts from 1 to 4 are shown as "<5" (and a median or
 * percentile over fewer than 5 call-backs is withheld), as public statistics do, unless the
 * designated manager asks for exact figures.
 */
import { and, eq, gt, gte, inArray, isNotNull, isNull, lt, lte, or, sql } from "drizzle-orm";
import { recordAudit } from "../audit/audit.service";
import { localParts } from "../calendar/office-hours";
import {
  children,
  cinConsiderations,
  considerationDecisions,
  enquiries,
  movesIn,
  notifications,
  peoplePosingRisk,
  planCategories,
  planCategoryHistory,
  planEndReasons,
  plans,
  riskLinks,
  trawlAlerts,
} from "../db/schema";
import type { Ctx } from "../domain/ctx";
import { londonToday } from "../lib/dates";
import { invalid } from "../lib/errors";
import { SECTOR_NAMES, sectorOf } from "../register/professions";
import { notInScope } from "../register/scope";

export const AGE_BANDS = ["unborn", "under_1", "1_4", "5_9", "10_15", "16_17"] as const;
const OUTCOMES = ["known", "possible", "not_known"] as const;
const NOTIFICATION_KINDS = ["enquiry_about_open_case", "enquiry_at_same_address", "trawl_alert"] as const;

export type Cell = number | "<5";
/** Whose plan it is: a child handed over between authorities keeps each plan under its own authority. */
const planAuthority = sql<string>`coalesce(${plans.authority}, ${children.authority})`;

const zeros = <K extends string>(keys: readonly K[]) => Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;

/** The instant a London calendar day begins (00:00 GMT or BST). */
export function londonDayStart(date: string): string {
  const utcMidnight = new Date(`${date}T00:00:00Z`);
  return localParts(utcMidnight, "Europe/London").time === "00:00"
    ? utcMidnight.toISOString()
    : new Date(utcMidnight.getTime() - 3_600_000).toISOString();
}

const nextDay = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/** Whole years from a date of birth to a date. */
function ageOn(dob: string, on: string): number {
  const years = Number(on.slice(0, 4)) - Number(dob.slice(0, 4));
  return on.slice(5) < dob.slice(5) ? years - 1 : years;
}

function ageBand(dob: string | null, on: string): (typeof AGE_BANDS)[number] {
  if (!dob || dob > on) return "unborn";
  const age = ageOn(dob, on);
  return age < 1 ? "under_1" : age < 5 ? "1_4" : age < 10 ? "5_9" : age < 16 ? "10_15" : "16_17";
}

const small = (n: number) => n > 0 && n < 5;

/**
 * The parts of a total. Counts of 1 to 4 are hidden; and where the total is shown, a single
 * hidden part could be worked out by subtraction, so the smallest other non-zero part is
 * hidden with it (secondary suppression, as public statistics do).
 */
export function suppressParts<K extends string>(total: number, r: Record<K, number>, exact = false): Record<K, Cell> {
  const keys = Object.keys(r) as K[];
  const out = Object.fromEntries(keys.map((k) => [k, !exact && small(r[k]) ? "<5" : r[k]])) as Record<K, Cell>;
  if (exact || small(total)) return out;
  if (keys.filter((k) => out[k] === "<5").length === 1) {
    const next = keys.filter((k) => out[k] !== "<5" && r[k] > 0).sort((a, b) => r[a] - r[b])[0];
    if (next) out[next] = "<5";
  }
  return out;
}

/** Nearest-rank percentile of sorted values. */
const percentile = (sorted: number[], p: number) => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;

export async function boardStatistics(ctx: Ctx, q: { from: string; to: string; authority?: string | undefined; exact: boolean }) {
  if (q.from > q.to) throw invalid("The period ends before it starts.", [{ path: "to", message: "must not be before from" }]);
  const authorities = q.authority ? [q.authority] : ctx.principal.authorities;
  if (q.authority && !ctx.principal.authorities.includes(q.authority))
    throw notInScope(`Authority ${q.authority}`, { type: "authority", id: q.authority });
  const today = londonToday(ctx.clock.now());
  const asOf = q.to < today ? q.to : today;
  const start = londonDayStart(q.from);
  const end = londonDayStart(nextDay(q.to));
  const db = ctx.store.read;
  const none = !authorities.length;

  // ---- the register -------------------------------------------------------------------------
  const current = none
    ? []
    : await db
        .select({ planId: plans.id, dob: children.dateOfBirth })
        .from(plans)
        .innerJoin(children, eq(children.id, plans.childId))
        .where(and(inArray(planAuthority, authorities), lte(plans.startDate, asOf), or(isNull(plans.endDate), gt(plans.endDate, asOf))));
  const byAgeBand = zeros(AGE_BANDS);
  for (const c of current) byAgeBand[ageBand(c.dob, asOf)]++;
  const byCategory = zeros(planCategories);
  if (current.length) {
    const cats = await db
      .select({ planId: planCategoryHistory.planId, category: planCategoryHistory.category })
      .from(planCategoryHistory)
      .where(
        and(
          inArray(
            planCategoryHistory.planId,
            current.map((c) => c.planId),
          ),
          lte(planCategoryHistory.fromDate, asOf),
          or(isNull(planCategoryHistory.toDate), gt(planCategoryHistory.toDate, asOf)),
        ),
      );
    for (const c of new Map(cats.map((r) => [`${r.planId}|${r.category}`, r.category])).values()) byCategory[c]++;
  }

  const periodPlans = none
    ? []
    : await db
        .select({ startDate: plans.startDate, endDate: plans.endDate, endReason: plans.endReason })
        .from(plans)
        .innerJoin(children, eq(children.id, plans.childId))
        .where(
          and(
            inArray(planAuthority, authorities),
            or(and(gte(plans.startDate, q.from), lte(plans.startDate, q.to)), and(gte(plans.endDate, q.from), lte(plans.endDate, q.to))),
          ),
        );
  const endedByReason = zeros(planEndReasons);
  let started = 0;
  let ended = 0;
  for (const p of periodPlans) {
    if (p.startDate >= q.from && p.startDate <= q.to) started++;
    if (p.endDate && p.endDate >= q.from && p.endDate <= q.to && p.endReason) {
      ended++;
      endedByReason[p.endReason]++;
    }
  }

  // ---- moves in: temporary registrations and their receiving-in deadlines --------------------
  const moves = none
    ? []
    : await db
        .select({ moveDate: movesIn.moveDate, due: movesIn.receivingInDue, outcome: movesIn.outcome, decidedOn: movesIn.decidedOn })
        .from(movesIn)
        .where(
          and(
            inArray(movesIn.authority, authorities),
            or(
              and(gte(movesIn.moveDate, q.from), lte(movesIn.moveDate, q.to)),
              and(gte(movesIn.receivingInDue, q.from), lte(movesIn.receivingInDue, q.to)),
            ),
          ),
        );
  const receivingIn = { due: 0, met: 0, missed: 0, pending: 0 };
  let temporaryStarted = 0;
  for (const m of moves) {
    if (m.moveDate >= q.from && m.moveDate <= q.to) temporaryStarted++;
    if (m.due < q.from || m.due > q.to) continue;
    receivingIn.due++;
    if (m.outcome) m.decidedOn! <= m.due ? receivingIn.met++ : receivingIn.missed++;
    else m.due < today ? receivingIn.missed++ : receivingIn.pending++;
  }

  // ---- the enquiry service -------------------------------------------------------------------
  const inPeriod = (col: typeof enquiries.receivedAt) => and(gte(col, start), lt(col, end));
  const received = none
    ? []
    : await db
        .select({ profession: enquiries.enquirerProfession, match: enquiries.match, outOfHours: enquiries.outOfHours })
        .from(enquiries)
        .where(and(inArray(enquiries.authority, authorities), inPeriod(enquiries.receivedAt)));
  const byAgencyType = zeros(SECTOR_NAMES);
  const byProfession: Record<string, number> = {};
  const byOutcome = zeros(OUTCOMES);
  let outOfHours = 0;
  for (const e of received) {
    byAgencyType[sectorOf(e.profession) as (typeof SECTOR_NAMES)[number]]++;
    byProfession[e.profession] = (byProfession[e.profession] ?? 0) + 1;
    byOutcome[e.match]++;
    if (e.outOfHours) outOfHours++;
  }

  const answered = none
    ? []
    : await db
        .select({ receivedAt: enquiries.receivedAt, answeredAt: enquiries.answeredAt })
        .from(enquiries)
        .where(
          and(
            inArray(enquiries.authority, authorities),
            isNotNull(enquiries.answeredAt),
            gte(enquiries.answeredAt, start),
            lt(enquiries.answeredAt, end),
          ),
        );
  const minutes = answered.map((a) => (Date.parse(a.answeredAt!) - Date.parse(a.receivedAt)) / 60_000).sort((a, b) => a - b);
  const enough = q.exact || minutes.length >= 5;
  const round1 = (n: number) => Math.round(n * 10) / 10;

  const notes = none
    ? []
    : await db
        .select({ kind: notifications.kind })
        .from(notifications)
        .innerJoin(enquiries, eq(enquiries.id, notifications.enquiryId))
        .where(and(inArray(enquiries.authority, authorities), gte(notifications.createdAt, start), lt(notifications.createdAt, end)));
  const alerts = none
    ? []
    : await db
        .select({ at: trawlAlerts.at })
        .from(trawlAlerts)
        .where(and(inArray(trawlAlerts.authority, authorities), gte(trawlAlerts.at, start), lt(trawlAlerts.at, end)));
  const notificationsByKind = zeros(NOTIFICATION_KINDS);
  for (const n of notes) notificationsByKind[n.kind]++;
  notificationsByKind.trawl_alert = alerts.length;

  const considerations = none
    ? []
    : await db
        .select({ openedAt: cinConsiderations.openedAt, decidedAt: cinConsiderations.decidedAt, decision: cinConsiderations.decision })
        .from(cinConsiderations)
        .where(
          and(
            inArray(cinConsiderations.authority, authorities),
            or(
              and(gte(cinConsiderations.openedAt, start), lt(cinConsiderations.openedAt, end)),
              and(gte(cinConsiderations.decidedAt, start), lt(cinConsiderations.decidedAt, end)),
            ),
          ),
        );
  const byDecision = zeros(considerationDecisions);
  let opened = 0;
  let decided = 0;
  for (const c of considerations) {
    if (c.openedAt >= start && c.openedAt < end) opened++;
    if (c.decidedAt && c.decidedAt >= start && c.decidedAt < end && c.decision) {
      decided++;
      byDecision[c.decision]++;
    }
  }

  // Seed 000 §2.153: notifications of people who may pose a risk, and the enquiries linked to them.
  const riskNotified = none
    ? []
    : await db
        .select({ id: peoplePosingRisk.id })
        .from(peoplePosingRisk)
        .where(
          and(
            inArray(peoplePosingRisk.authority, authorities),
            gte(peoplePosingRisk.notifiedOn, q.from),
            lte(peoplePosingRisk.notifiedOn, q.to),
          ),
        );
  const riskLinked = none
    ? []
    : await db
        .selectDistinct({ id: riskLinks.enquiryId })
        .from(riskLinks)
        .where(and(inArray(riskLinks.authority, authorities), gte(riskLinks.createdAt, start), lt(riskLinks.createdAt, end)));

  const cell = (n: number): Cell => (!q.exact && n > 0 && n < 5 ? "<5" : n);
  const cells = <K extends string>(r: Record<K, number>) =>
    Object.fromEntries(Object.entries(r).map(([k, v]) => [k, cell(v as number)])) as Record<K, Cell>;
  const parts = <K extends string>(total: number, r: Record<K, number>) => suppressParts(total, r, q.exact);
  const hours = parts(received.length, { inOfficeHours: received.length - outOfHours, outOfHours });
  const result = {
    authorities,
    from: q.from,
    to: q.to,
    asOf,
    exact: q.exact,
    register: {
      onPlans: cell(current.length),
      onPlansByCategory: cells(byCategory),
      onPlansByAgeBand: parts(current.length, byAgeBand),
      plansStarted: cell(started),
      plansEnded: cell(ended),
      plansEndedByReason: parts(ended, endedByReason),
      temporaryRegistrations: cell(temporaryStarted),
      receivingInConferences: {
        due: cell(receivingIn.due),
        ...parts(receivingIn.due, { met: receivingIn.met, missed: receivingIn.missed, pending: receivingIn.pending }),
      },
    },
    enquiries: {
      received: cell(received.length),
      byAgencyType: parts(received.length, byAgencyType),
      byProfession: parts(received.length, byProfession),
      byOutcome: parts(received.length, byOutcome),
      inOfficeHours: hours.inOfficeHours,
      outOfHours: hours.outOfHours,
    },
    callbacks: {
      completed: cell(minutes.length),
      minutesToCompletion:
        minutes.length && enough ? { median: round1(percentile(minutes, 50)), p90: round1(percentile(minutes, 90)) } : null,
    },
    notifications: { sent: cell(notes.length + alerts.length), byKind: parts(notes.length + alerts.length, notificationsByKind) },
    childInNeedConsiderations: { opened: cell(opened), decided: cell(decided), byDecision: parts(decided, byDecision) },
    peoplePosingRisk: { notified: cell(riskNotified.length), enquiriesLinked: cell(riskLinked.length) },
  };
  await ctx.store.write((tx) =>
    recordAudit(tx, ctx, {
      action: "stats.read",
      target: null,
      authority: authorities.length === 1 ? authorities[0]! : null,
      detail: { from: q.from, to: q.to, exact: q.exact, authorities },
    }),
  );
  return result;
}

export type BoardStatistics = Awaited<ReturnType<typeof boardStatistics>>;

/** How the CSV goes out, to the API's callers and the desk alike: a download named for its period. */
export const statisticsCsvHeaders = (s: BoardStatistics) => ({
  "content-type": "text/csv; charset=utf-8",
  "content-disposition": `attachment; filename="board-statistics-${s.from}-to-${s.to}.csv"`,
});

/** The same figures as CSV: one row a cell, `section,measure,breakdown,value`. */
export function statisticsCsv(s: BoardStatistics): string {
  const rows: string[][] = [
    ["section", "measure", "breakdown", "value"],
    ["period", "authorities", "", s.authorities.join(" ")],
    ["period", "from", "", s.from],
    ["period", "to", "", s.to],
    ["period", "figures", "", s.exact ? "exact" : "counts of 1 to 4 shown as <5"],
  ];
  const walk = (section: string, obj: Record<string, unknown>) => {
    for (const [measure, v] of Object.entries(obj)) {
      if (v === null) rows.push([section, measure, "", "withheld"]);
      else if (typeof v === "object")
        for (const [k, n] of Object.entries(v as Record<string, unknown>)) rows.push([section, measure, k, String(n)]);
      else rows.push([section, measure, "", String(v)]);
    }
  };
  walk("register", s.register);
  walk("enquiries", s.enquiries);
  walk("callbacks", s.callbacks);
  walk("notifications", s.notifications);
  walk("child_in_need_considerations", s.childInNeedConsiderations);
  walk("people_posing_risk", s.peoplePosingRisk);
  const esc = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return `${rows.map((r) => r.map(esc).join(",")).join("\r\n")}\r\n`;
}
