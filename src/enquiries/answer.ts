import { eq } from "drizzle-orm";
import type { Answer, EarlierEnquiry, OriginatingAuthority } from "../db/answer-shape";
import { authorities } from "../db/schema";
import type { Queryable } from "../db/store";
import type { MatchResult } from "../matching/match";
import { handoverOf } from "../moves/pending";
import { type ChildRecord, loadChildRecord } from "../register/child-record";
import { displayName } from "../register/names";

export type { Answer, EarlierEnquiry };

/** Pan Dorset note: further action, including a referral, remains the enquirer's responsibility. */
export const ADVICE = {
  known: "Further action, including any referral to children's social care, remains your responsibility as the enquirer.",
  possible:
    "The child could not be identified for certain. The duty officer will confirm the child's details with you on the call-back before anything is shared. Further action, including any referral, remains your responsibility.",
  not_known:
    "The child is not known to children's social care in this authority; your enquiry has been recorded. If you are concerned about the child's welfare, make a referral: further action remains your responsibility.",
} as const;

const NOTHING = {
  child: null,
  currentPlan: null,
  previousPlans: [],
  conferencesWithoutPlan: [],
  case: { status: "never" as const, keyWorker: null },
  householdInformation: null,
};

const worker = (w: { name: string; team: string | null; phone: string | null } | null) =>
  w ? { name: w.name, team: w.team, phone: w.phone } : null;

/** The case status and key worker: the open case's (latest opened), else the last closed case's. */
export function caseSummary(record: ChildRecord): Answer["case"] {
  const open = record.cases.filter((k) => k.status === "open").sort((a, b) => b.openedOn.localeCompare(a.openedOn));
  if (open.length) return { status: "open", keyWorker: worker(open[0]!.keyWorker) };
  const closed = [...record.cases].sort((a, b) => (b.closedOn ?? "").localeCompare(a.closedOn ?? ""));
  if (closed.length) return { status: "closed", keyWorker: worker(closed[0]!.keyWorker) };
  return { status: "never", keyWorker: null };
}

/** A move out not yet confirmed by the receiving authority (seed 004 §41: the plan stays current until then). */
function movingTo(record: ChildRecord) {
  const open = record.movesOut.find((m) => m.status === "awaiting_confirmation");
  return open ? { authority: open.receivingAuthority.name, moveDate: open.moveDate } : null;
}

/** Whose a temporary plan is, from the move in that made it: who to ring there, and the child's key worker. */
function originOf(record: ChildRecord, planId: string, fallback: string | null): OriginatingAuthority | null {
  const move = record.movesIn.find((m) => m.planId === planId);
  if (move)
    return {
      name: move.originatingAuthority.name,
      custodianPhone: move.originatingAuthority.custodianPhone,
      keyWorker: { name: move.originatingKeyWorker.name, phone: move.originatingKeyWorker.phone },
    };
  return fallback ? { name: fallback, custodianPhone: null, keyWorker: null } : null;
}

const previousPlans = (plans: ChildRecord["plans"]) =>
  plans
    .filter((p) => p.endDate !== null)
    .map((p) => ({ startDate: p.startDate, endDate: p.endDate!, categories: [...new Set(p.categoryHistory.map((h) => h.category))] }));

/** What the enquirer is told about a known child (Pan Dorset note; seed 004 §55 for the categories). */
export function knownAnswer(record: ChildRecord): Answer {
  const current = record.plans.find((p) => p.endDate === null);
  return {
    match: "known",
    candidates: [],
    child: {
      id: record.id,
      name: displayName(record.givenNames, record.familyName),
      dateOfBirth: record.dateOfBirth,
      authority: record.authority,
    },
    currentPlan: current
      ? {
          startDate: current.startDate,
          categories: current.categories,
          temporary: current.temporary,
          originatingAuthority: current.temporary ? originOf(record, current.id, current.originatingAuthority) : null,
          movingTo: movingTo(record),
        }
      : null,
    previousPlans: previousPlans(record.plans),
    conferencesWithoutPlan: record.conferences.filter((c) => c.outcome === "no_plan").map((c) => ({ heldOn: c.heldOn })),
    case: caseSummary(record),
    householdInformation: record.householdNote,
    earlierEnquiries: [],
    advice: ADVICE.known,
  };
}

/**
 * The answer an authority may give from a child's record: its own child; a child being handed
 * over to it, still on the sending authority's plan (said as of a temporary registration); a
 * child it handed over, of which it says only its own plans and where the child went. Any
 * other authority's child is not its to read out (null).
 */
export async function answerFor(q: Queryable, record: ChildRecord, authority: string): Promise<Answer | null> {
  const full = knownAnswer(record);
  if (record.authority === authority) return full;
  const handover = await handoverOf(q, record.id, authority);
  if (!handover) return null;
  if ("into" in handover) {
    if (!full.currentPlan) return full;
    // Handed over from an authority of this deployment: its plan, its custodian, its key worker.
    const [owner] = await q
      .select({ name: authorities.name, phone: authorities.firstResponsePhone })
      .from(authorities)
      .where(eq(authorities.code, record.authority));
    const keyWorker = full.case.status === "open" && full.case.keyWorker ? full.case.keyWorker : null;
    const originatingAuthority = {
      name: owner?.name ?? record.authority,
      custodianPhone: owner?.phone ?? null,
      keyWorker: keyWorker ? { name: keyWorker.name, phone: keyWorker.phone } : null,
    };
    return { ...full, currentPlan: { ...full.currentPlan, temporary: true, originatingAuthority } };
  }
  return {
    ...full,
    currentPlan: null,
    previousPlans: previousPlans(record.plans.filter((p) => (p.authority ?? record.authority) === authority)),
    conferencesWithoutPlan: [],
    case: { status: "closed", keyWorker: null },
    householdInformation: null,
    movedTo: { authority: handover.away.to, on: handover.away.on },
  };
}

/** Prepares the answer from a match, as the register stands now, for the authority answering. */
export async function prepareAnswer(
  q: Queryable,
  match: MatchResult,
  authority: string,
): Promise<{ answer: Answer; record: ChildRecord | null }> {
  if (match.match === "known") {
    const record = await loadChildRecord(q, match.childId!);
    const answer = record && (await answerFor(q, record, authority));
    // A handed-over child's current key worker is the other authority's: not notified from here.
    if (record && answer) return { answer, record: answer.movedTo ? null : record };
  }
  if (match.match === "possible")
    return {
      answer: { match: "possible", candidates: match.candidates, ...NOTHING, earlierEnquiries: [], advice: ADVICE.possible },
      record: null,
    };
  return { answer: { match: "not_known", candidates: [], ...NOTHING, earlierEnquiries: [], advice: ADVICE.not_known }, record: null };
}

/** The children an answer discloses to whoever reads it: the audit log's subjects. */
export const answerSubjects = (a: Answer | null | undefined): string[] =>
  a ? [...(a.child ? [a.child.id] : []), ...a.candidates.map((c) => c.childId)] : [];
