import { recordAudit } from "../audit/audit.service";
import { closuresOf } from "../calendar/closures.service";
import { isWithinOfficeHours } from "../calendar/office-hours";
import type { Answer } from "../db/answer-shape";
import type { authorities, EnquiryDetails } from "../db/schema";
import type { Tx } from "../db/store";
import type { Ctx } from "../domain/ctx";
import { londonToday } from "../lib/dates";
import { AppError } from "../lib/errors";
import { newId } from "../lib/ids";
import { formatForPeople } from "../lib/phone";
import { formatReference } from "../lib/reference";
import { type EnquiredChild, type MatchResult, matchChild } from "../matching/match";
import { addressKey } from "../register/address";
import { agencyByName } from "../register/agencies.service";
import { linkEnquiryToRisk } from "../risk/risk.service";
import { prepareAnswer } from "./answer";
import { enquiredChild, enquirySubject } from "./enquired";
import type { EnquiryCreate } from "./enquiries.schemas";
import { assertEligible, assertPossibleDates, contactSheet, otherAuthorities, resolveAuthority } from "./enquiry-checks";
import { caseWorkerNotice, notify, sameAddressWorkers } from "./notify";
import { enquiryCost, fitsWithin, overEnquiryLimit, recentEnquiryCost } from "./rate-limit";
import { type EnquiryValues, recordEnquiry, updateAnswer, upsertEnquirer } from "./record";
import { applySecondEnquiryRules } from "./second-enquiry";

type Authority = typeof authorities.$inferSelect;

/** One authority's register checked: whether it is out of its hours, the match, the answer prepared. */
interface Check {
  authority: Authority;
  outOfHours: boolean;
  match: MatchResult;
  answer: Answer;
  record: { id: string } | null;
}

/** What the enquiry is, once checked: the same on every attempt to write it. */
interface Enquiry {
  input: EnquiryCreate;
  authority: Authority;
  profession: string;
  details: EnquiryDetails;
  person: EnquiredChild;
  currentKeys: string[];
  others: Awaited<ReturnType<typeof otherAuthorities>>;
  agencyId: string | null;
  recognised: boolean;
  cost: number;
  now: Date;
}

type Created = { id: string; reference: string; authority: string; outOfHours: boolean };
type Limited = { count: number; names: number; retryAfterSeconds: number };
type Outcome = { kind: "limited"; limited: Limited } | { kind: "retry" } | { kind: "created"; created: Created[] };

/**
 * An enquiry, step by step (domain.md): the enquirer is checked and recorded, the enquiry
 * kept as the contact sheet, the child matched and the answer prepared, and the actions
 * after an enquiry taken (seed 004 §59-61) — all in one transaction.
 */
export async function submitEnquiry(ctx: Ctx, input: EnquiryCreate) {
  // The first count of the enquirer's names (outside the write) can read the window fuller than the
  // one that decides (inside it). Then the enquiry is taken again from the top, at a later time, as
  // a new request would be: the authority and the enquirer's eligibility are checked afresh.
  for (;;) {
    const enquiry = await checkEnquiry(ctx, input);
    const checks = await matchEachAuthority(ctx, enquiry);
    const result = await ctx.store.write(async (tx): Promise<Outcome> => {
      const limited = await overEnquiryLimit(tx, ctx, enquiry.authority.code, ctx.config.enquiryLimit, enquiry.now, enquiry.cost);
      // Committed without the enquiry: only the designated manager's alert is written.
      if (limited) return { kind: "limited", limited };
      if (!checks.length) return { kind: "retry" };
      return { kind: "created", created: await writeEnquiry(tx, ctx, enquiry, checks) };
    });
    if (result.kind === "limited") throw overLimit(ctx, enquiry, result.limited);
    if (result.kind === "created") return reply(enquiry, result.created);
  }
}

/** Steps 1-2: the authority, the enquirer's eligibility, possible dates, the contact sheet. */
async function checkEnquiry(ctx: Ctx, input: EnquiryCreate): Promise<Enquiry> {
  const authority = await resolveAuthority(ctx.store.read, input.authority);
  const profession = assertEligible(ctx, authority);
  const now = ctx.clock.now();
  assertPossibleDates(input, londonToday(now));
  const details = contactSheet(input);
  const currentKeys = details.addresses
    .filter((a) => a.current)
    .map((a) => addressKey(a.line1, a.postcode ?? null, a.line2))
    .filter((k): k is string => k !== null);
  const others = await otherAuthorities(ctx, authority.code, input.alsoAuthorities, details.addresses);
  const agency = ctx.principal.agency ? await agencyByName(ctx.store.read, ctx.principal.agency) : null;
  return {
    input,
    authority,
    profession,
    details,
    person: enquiredChild(details),
    currentKeys,
    others,
    agencyId: agency?.id ?? null,
    recognised: !!agency?.recognisedNumbers.includes(input.callbackNumber),
    cost: enquiryCost(enquirySubject(details)),
    now,
  };
}

/**
 * Step 3, the match and the answer. They only read the register, so they happen first, in one
 * read-only snapshot for each authority (a record cannot be half old, half new) and outside the
 * write transaction: no lock is held while the child is matched, and against Turso a replica can
 * serve them. The answer is the register as it stands at receipt; the claim refreshes it.
 * Someone already at the fishing limit is refused without matching anything (no checks): the
 * count is taken again inside the write transaction, where it decides.
 */
async function matchEachAuthority(ctx: Ctx, e: Enquiry): Promise<Check[]> {
  const limit = ctx.config.enquiryLimit;
  if (!fitsWithin(await recentEnquiryCost(ctx.store.read, ctx, limit, e.now), e.cost, limit)) return [];
  const today = londonToday(e.now);
  return Promise.all(
    [e.authority, ...e.others.checked].map(async (a) => {
      const outOfHours = !isWithinOfficeHours(a.officeHours, e.now, await closuresOf(ctx.store.read, a.code));
      const prepared = await ctx.store.snapshot(async (db) => {
        const match = await matchChild(db, a.code, e.person, today);
        return { match, ...(await prepareAnswer(db, match, a.code)) };
      });
      return { authority: a, outOfHours, ...prepared };
    }),
  );
}

/** Steps 3-4 inside the one write transaction: the enquiry kept for each authority checked, and what follows it. */
async function writeEnquiry(tx: Tx, ctx: Ctx, e: Enquiry, checks: Check[]): Promise<Created[]> {
  const now = e.now.toISOString();
  await upsertEnquirer(tx, ctx, now);
  // Every refusal is audited: an authority of the deployment that does not take this profession.
  for (const r of e.others.refused)
    await recordAudit(tx, ctx, {
      action: "POST /v1/enquiries",
      target: { type: "authority", id: r.authority },
      authority: r.authority,
      outcome: "refused_403",
      detail: { profession: e.profession, agency: ctx.principal.agency, checkedWith: e.authority.code },
    });
  const created: Created[] = [];
  for (const check of checks) {
    const id = newId();
    const code = check.authority.code;
    // The answer as this run of the write makes it: a write may be run again (db/store.ts), and
    // must not carry what a rolled-back run found.
    const answer: Answer = { ...check.answer, earlierEnquiries: [...check.answer.earlierEnquiries] };
    const referenceNo = await recordEnquiry(
      tx,
      enquiryRow(ctx, e, check, { id, answer, groupId: created[0]?.id ?? null }),
      e.person,
      e.details.addresses,
    );
    const reference = formatReference(referenceNo);
    const { openCase } = await notifyKeyWorkers(tx, now, e, check, { id, authority: code, referenceNo });
    if (!openCase) await applySecondEnquiryRule(tx, now, e, check, { id, authority: code }, answer);
    // Seed 000 §2.153: a child living with a person who may pose a risk reaches the designated manager.
    await linkEnquiryToRisk(tx, now, { id, authority: code, reference, presentAddressKeys: e.currentKeys, carers: e.details.carers });
    await recordAudit(tx, ctx, {
      action: "enquiry.submit",
      target: { type: "enquiry", id },
      authority: code,
      detail: { reference, match: check.match.match, ...(created[0] ? { group: created[0].reference } : {}) },
    });
    created.push({ id, reference, authority: code, outOfHours: check.outOfHours });
  }
  return created;
}

function enquiryRow(ctx: Ctx, e: Enquiry, check: Check, own: { id: string; answer: Answer; groupId: string | null }): EnquiryValues {
  return {
    id: own.id,
    authority: check.authority.code,
    enquirerId: ctx.principal.userId,
    enquirerName: ctx.principal.name,
    enquirerProfession: e.profession,
    enquirerAgency: ctx.principal.agency,
    agencyId: e.agencyId,
    receivedAt: e.now.toISOString(),
    outOfHours: check.outOfHours,
    status: "awaiting_callback",
    details: e.details,
    callbackNumber: e.input.callbackNumber,
    callbackNumberRecognised: e.recognised,
    dateOfBirth: e.details.child?.dateOfBirth ?? null,
    match: check.match.match,
    childId: check.match.childId,
    answer: own.answer,
    groupId: own.groupId,
    namesChecked: e.cost,
  };
}

/**
 * Seed 004 §59-60: the key worker of the child's open case, and those of plan children at the
 * present address, are told. Who is told is settled inside the transaction: a case opened or a
 * child placed at the address while the enquiry was being matched must not go unnotified.
 */
async function notifyKeyWorkers(
  tx: Tx,
  now: string,
  e: Enquiry,
  check: Check,
  enquiry: { id: string; authority: string; referenceNo: number },
) {
  const own = check.record ? await caseWorkerNotice(tx, check.record.id) : { notices: [], unreached: [], openCase: false };
  const neighbours = await sameAddressWorkers(tx, enquiry.authority, e.currentKeys, check.match.childId);
  await notify(tx, now, enquiry, [...own.notices, ...neighbours.notices], [...own.unreached, ...neighbours.unreached]);
  return { openCase: own.openCase };
}

/**
 * Seed 004 §61, widened by the Pan Dorset note: a second enquiry about a child who is not an
 * open case (not known, or known with a closed case or none; the caller has read the case with
 * the key worker's notice) tells the later enquirer of the earlier ones and puts the child to
 * the designated manager. The rule reads earlier enquiries
 * inside the transaction: enquiries are serialised, so two arriving together still end in one
 * consideration.
 */
async function applySecondEnquiryRule(
  tx: Tx,
  now: string,
  e: Enquiry,
  check: Check,
  enquiry: { id: string; authority: string },
  answer: Answer,
) {
  const childId = check.match.match === "known" && check.record ? check.record.id : null;
  if (check.match.match === "possible" || (check.match.match === "known" && !childId)) return;
  answer.earlierEnquiries = await applySecondEnquiryRules(tx, now, { ...enquiry, person: e.person, childId });
  if (answer.earlierEnquiries.length) await updateAnswer(tx, enquiry.id, answer);
}

function reply(e: Enquiry, created: Created[]) {
  const [first, ...rest] = created;
  return {
    id: first!.id,
    reference: first!.reference,
    status: "awaiting_callback" as const,
    receivedAt: e.now.toISOString(),
    outOfHours: first!.outOfHours,
    callbackNumberRecognised: e.recognised,
    alsoCheckedWith: rest.map(({ id, reference, authority }) => ({ authority, id, reference })),
    notCheckedWith: e.others.refused,
  };
}

/** The limit on enquiries per login (api.md, a guard against trawling the register): 429 saying when to try again and whom to call now. */
function overLimit(ctx: Ctx, e: Enquiry, limited: Limited) {
  const { count, names, retryAfterSeconds } = limited;
  const limit = ctx.config.enquiryLimit;
  const made = names === count ? `${count} enquiries` : `${count} enquiries testing ${names} names (each other name counts)`;
  const asked = e.cost > 1 ? ` This enquiry tests ${e.cost} names.` : "";
  return new AppError(
    "rate_limited",
    `You have made ${made} in the last ${limit.windowMinutes} minutes; this service tests at most ${limit.max} names for one person in that time.${asked} Try again in ${retryAfterSeconds} seconds, or call the First Response service on ${formatForPeople(e.authority.firstResponsePhone)}.`,
    {
      retryAfterSeconds,
      target: { type: "authority", id: e.authority.code },
      auditDetail: {
        profession: ctx.principal.profession,
        agency: ctx.principal.agency,
        enquiriesInWindow: count,
        namesInWindow: names,
        namesAsked: e.cost,
      },
    },
  );
}
