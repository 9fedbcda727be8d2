import { eq } from "drizzle-orm";
import { authorities } from "../db/schema";
import type { Queryable } from "../db/store";
import { handedAwayFrom, mayAnswerFrom } from "../moves/pending";
import type { Candidate, MatchResult } from "../matching/match";
import { loadChildRecord, type ChildRecord } from "../register/child-record";
import { displayName } from "../register/names";

export interface EarlierEnquiry {
  reference: string;
  receivedAt: string;
  agency: string | null;
  profession: string;
}

export interface Answer {
  match: "known" | "possible" | "not_known";
  candidates: Candidate[];
  child: { id: string; name: string; dateOfBirth: string | null; authority: string } | null;
  currentPlan: { startDate: string; categories: string[]; temporary: boolean; originatingAuthority: string | null; movingTo: { authority: string; moveDate: string } | null } | null;
  previousPlans: { startDate: string; endDate: string; categories: string[] }[];
  conferencesWithoutPlan: { heldOn: string }[];
  case: { status: "open" | "closed" | "never"; keyWorker: { name: string; team: string | null; phone: string | null } | null };
  householdInformation: string | null;
  earlierEnquiries: EarlierEnquiry[];
  advice: string;
  /** A child this authority handed over to another authority of the deployment: where and when. */
  movedTo?: { authority: string; on: string } | null;
}

/** Pan Dorset note: further action, including a referral, remains the enquirer's responsibility. */
export const ADVICE = {
  known: "Further action, including any referral to children's social care, remains your responsibility as the enquirer.",
  possible:
    "The child could not be identified for certain. The duty officer will confirm the child's details with you on the call-back before anything is shared. Further action, including any referral, remains your responsibility.",
  not_known:
    "The child is not known to children's social care in this authority; your enquiry has been recorded. If you are concerned about the child's welfare, make a referral: further action remains your responsibility.",
} as const;

const NOTHING = { child: null, currentPlan: null, previousPlans: [], conferencesWithoutPlan: [], case: { status: "never" as const, keyWorker: null }, householdInformation: null };

const worker = (w: { name: string; team: string | null; phone: string | null } | null) => (w ? { name: w.name, team: w.team, phone: w.phone } : null);

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

/** What the enquirer is told about a known child (Pan Dorset note; seed 004 §55 for the categories). */
export function knownAnswer(record: ChildRecord): Answer {
  const current = record.plans.find((p) => p.endDate === null);
  return {
    match: "known",
    candidates: [],
    child: { id: record.id, name: displayName(record.givenNames, record.familyName), dateOfBirth: record.dateOfBirth, authority: record.authority },
    currentPlan: current ? { startDate: current.startDate, categories: current.categories, temporary: current.temporary, originatingAuthority: current.temporary ? current.originatingAuthority : null, movingTo: movingTo(record) } : null,
    previousPlans: record.plans
      .filter((p) => p.endDate !== null)
      .map((p) => ({ startDate: p.startDate, endDate: p.endDate!, categories: [...new Set(p.categoryHistory.map((h) => h.category))] })),
    conferencesWithoutPlan: record.conferences.filter((c) => c.outcome === "no_plan").map((c) => ({ heldOn: c.heldOn })),
    case: caseSummary(record),
    householdInformation: record.householdNote,
    earlierEnquiries: [],
    advice: ADVICE.known,
  };
}

/**
 * A child being handed over to the answering authority is still on the sending authority's
 * plan: the answer says so, as it would of a temporary registration.
 */
export async function asAnsweredBy(q: Queryable, answer: Answer, record: ChildRecord, authority: string | undefined): Promise<Answer> {
  if (!authority || record.authority === authority || !answer.currentPlan) return answer;
  const [owner] = await q.select({ name: authorities.name }).from(authorities).where(eq(authorities.code, record.authority));
  return { ...answer, currentPlan: { ...answer.currentPlan, temporary: true, originatingAuthority: owner?.name ?? record.authority } };
}

/**
 * The answer an authority may give from a child's record: its own child; a child being handed
 * over to it (asAnsweredBy); a child it handed over, of which it says only its own plans and
 * where the child went. Any other authority's child is not its to read out (null).
 */
export async function answerFor(q: Queryable, record: ChildRecord, authority: string): Promise<Answer | null> {
  if (record.authority === authority) return knownAnswer(record);
  if (await mayAnswerFrom(q, record, authority)) return asAnsweredBy(q, knownAnswer(record), record, authority);
  const away = (await handedAwayFrom(q, authority)).find((h) => h.childId === record.id);
  if (!away) return null;
  const full = knownAnswer(record);
  return {
    ...full,
    currentPlan: null,
    previousPlans: record.plans
      .filter((p) => (p.authority ?? record.authority) === authority && p.endDate !== null)
      .map((p) => ({ startDate: p.startDate, endDate: p.endDate!, categories: [...new Set(p.categoryHistory.map((h) => h.category))] })),
    conferencesWithoutPlan: [],
    case: { status: "closed", keyWorker: null },
    householdInformation: null,
    movedTo: { authority: away.to, on: away.on! },
  };
}

/** Prepares the answer from a match, as the register stands now, for the authority answering. */
export async function prepareAnswer(q: Queryable, match: MatchResult, earlier: EarlierEnquiry[] = [], authority?: string): Promise<{ answer: Answer; record: ChildRecord | null }> {
  if (match.match === "known") {
    const record = await loadChildRecord(q, match.childId!);
    const answer = record && (authority ? await answerFor(q, record, authority) : knownAnswer(record));
    // A handed-over child's current key worker is the other authority's: not notified from here.
    if (record && answer) return { answer, record: answer.movedTo ? null : record };
  }
  if (match.match === "possible")
    return { answer: { match: "possible", candidates: match.candidates, ...NOTHING, earlierEnquiries: [], advice: ADVICE.possible }, record: null };
  return { answer: { match: "not_known", candidates: [], ...NOTHING, earlierEnquiries: earlier, advice: ADVICE.not_known }, record: null };
}

/** The children an answer discloses to whoever reads it: the audit log's subjects. */
export const answerSubjects = (a: Answer | null | undefined): string[] =>
  a ? [...(a.child ? [a.child.id] : []), ...a.candidates.map((c) => c.childId)] : [];
