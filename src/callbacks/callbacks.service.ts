import { and, asc, eq, inArray, ne, sql } from "drizzle-orm";
import { recordAudit, recordListAudit } from "../audit/audit.service";
import { execute } from "../db/prepared";
import { agencies, agencyNumbers, enquiries, riskLinks } from "../db/schema";
import type { Queryable, Tx } from "../db/store";
import type { Ctx } from "../domain/ctx";
import { ADVICE, type Answer, answerFor, answerSubjects } from "../enquiries/answer";
import { enquiredChild } from "../enquiries/enquired";
import { notifyOpenCaseWorker } from "../enquiries/notify";
import { refreshAnswer } from "../enquiries/refresh";
import { applySecondEnquiryRules } from "../enquiries/second-enquiry";
import { detailsView, type EnquiryRow, enquirerView } from "../enquiries/views";
import { londonToday } from "../lib/dates";
import { AppError, conflict, invalid, notFound } from "../lib/errors";
import { toE164 } from "../lib/phone";
import { formatReference } from "../lib/reference";
import { agencyKey } from "../lib/text";
import { personMatchesCarer } from "../matching/match";
import { loadChildRecord } from "../register/child-record";

export const QUEUE_STATUS = { pending: "awaiting_callback", claimed: "in_callback", completed: "answered" } as const;
export type QueueStatus = keyof typeof QUEUE_STATUS;

/**
 * The numbers the duty officer may call back on (seed 004 §57, Pan Dorset note): those of
 * the agency the enquirer's login names, as the register holds them now.
 */
async function recognisedNumbersFor(q: Queryable, rows: Pick<EnquiryRow, "enquirerAgency">[]): Promise<Map<string, string[]>> {
  const names = [
    ...new Set(
      rows
        .map((r) => r.enquirerAgency)
        .filter((a): a is string => !!a)
        .map(agencyKey),
    ),
  ];
  if (!names.length) return new Map();
  const found = await q
    .select({ key: agencies.nameKey, number: agencyNumbers.number })
    .from(agencies)
    .leftJoin(agencyNumbers, eq(agencyNumbers.agencyId, agencies.id))
    .where(inArray(agencies.nameKey, names))
    .orderBy(asc(agencyNumbers.createdAt));
  const byKey = new Map<string, string[]>();
  for (const f of found) byKey.set(f.key, [...(byKey.get(f.key) ?? []), ...(f.number ? [f.number] : [])]);
  return byKey;
}

/** What a queue item shows, and no more: the list reads these columns only. */
type ItemRow = Pick<
  EnquiryRow,
  | "id"
  | "referenceNo"
  | "authority"
  | "status"
  | "receivedAt"
  | "outOfHours"
  | "claimedBy"
  | "claimedByName"
  | "details"
  | "enquirerName"
  | "enquirerProfession"
  | "enquirerAgency"
  | "callbackNumber"
  | "answer"
  | "answeredAt"
  | "numberDialled"
  | "adviceGiven"
>;

// The queue's page is read as finished JSON: SQLite writes each item (json_object over the
// stored contact sheet and answer), so the list never parses and re-serialises a thousand
// answers (at limit=1000 drizzle's row mapping, JSON.parse and JSON.stringify were most of the
// request's CPU: docs/benchmarks.md). The item's shape is itemView's, which the single-item read
// uses; test/enquiries/callbacks.test.ts holds the two to each other. The recognised numbers are
// the register's as they stand now, so they are put in afterwards. One authority (the usual
// officer) is an equality, so the index gives the order and the read stops at the page; several
// go as one JSON list, which SQLite then sorts. An officer's own enquiries are not in their
// queue: the call-back is the check on who asked, and the prepared answer must not reach the
// asker by this route.
const REFERENCE_SQL = `'ENQ-' || printf('%06d', reference_no)`;
const queuePageSql = (authority: string) =>
  `SELECT id, reference_no, authority, enquirer_agency, callback_number,
     json_object(
       'id', id, 'reference', ${REFERENCE_SQL}, 'status', status, 'receivedAt', received_at,
       'outOfHours', json(CASE out_of_hours WHEN 1 THEN 'true' ELSE 'false' END),
       'claimedBy', json(CASE WHEN claimed_by IS NULL THEN 'null' ELSE json_object('userId', claimed_by, 'name', coalesce(claimed_by_name, claimed_by)) END),
       'enquiry', json_object('id', id, 'reference', ${REFERENCE_SQL}, 'child', details -> '$.child', 'unborn', coalesce(details -> '$.unborn', json('null')), 'addresses', details -> '$.addresses', 'carers', details -> '$.carers', 'reason', details ->> '$.reason'),
       'enquirer', json_object('name', enquirer_name, 'profession', enquirer_profession, 'agency', enquirer_agency),
       'callbackNumber', callback_number, 'answer', json(answer), 'answeredAt', answered_at,
       'numberDialled', number_dialled, 'adviceGiven', advice_given,
       'personPosingRiskLinked', json(CASE WHEN EXISTS (SELECT 1 FROM risk_links WHERE risk_links.enquiry_id = enquiries.id) THEN 'true' ELSE 'false' END)
     ) AS item,
     (SELECT json_group_array(v) FROM (
        SELECT answer ->> '$.child.id' AS v WHERE v IS NOT NULL
        UNION ALL SELECT value ->> '$.childId' FROM json_each(answer, '$.candidates'))) AS subjects
   FROM enquiries WHERE ${authority} AND status = ? AND enquirer_id <> ? AND reference_no > ?
   ORDER BY reference_no LIMIT ?`;
const QUEUE_PAGE = { one: queuePageSql("authority = ?"), many: queuePageSql("authority IN (SELECT value FROM json_each(?))") };

/** A queue item as the list gives it: its JSON text, and what the audit and the cursor need. */
export interface QueueItemJson {
  id: string;
  authority: string;
  cursor: number;
  json: string;
}

function itemView(e: ItemRow, numbers: Map<string, string[]>, linked: Set<string>) {
  const recognisedNumbers = e.enquirerAgency ? (numbers.get(agencyKey(e.enquirerAgency)) ?? []) : [];
  return {
    id: e.id,
    reference: formatReference(e.referenceNo),
    status: e.status,
    receivedAt: e.receivedAt,
    outOfHours: e.outOfHours,
    claimedBy: e.claimedBy ? { userId: e.claimedBy, name: e.claimedByName ?? e.claimedBy } : null,
    enquiry: detailsView(e),
    enquirer: enquirerView(e),
    callbackNumber: e.callbackNumber,
    callbackNumberRecognised: recognisedNumbers.includes(e.callbackNumber),
    recognisedNumbers,
    answer: e.answer,
    answeredAt: e.answeredAt,
    numberDialled: e.numberDialled,
    adviceGiven: e.adviceGiven,
    personPosingRiskLinked: linked.has(e.id),
  };
}

async function itemsView(q: Queryable, rows: ItemRow[]) {
  const [numbers, links] = await Promise.all([
    recognisedNumbersFor(q, rows),
    q
      .selectDistinct({ id: riskLinks.enquiryId })
      .from(riskLinks)
      .where(
        inArray(
          riskLinks.enquiryId,
          rows.map((r) => r.id),
        ),
      ),
  ]);
  const linked = new Set(links.map((l) => l.id));
  return rows.map((r) => itemView(r, numbers, linked));
}

/**
 * The queue of the officer's authorities, oldest first, one more than the page to tell whether
 * another follows. Each item shown is an audited read.
 */
export async function listQueue(
  ctx: Ctx,
  opts: { status: QueueStatus; after?: number | undefined; limit: number },
): Promise<QueueItemJson[]> {
  if (!ctx.principal.authorities.length) return [];
  return ctx.store.write(async (tx) => {
    const [only, ...more] = ctx.principal.authorities;
    const rows = await execute(tx, more.length ? QUEUE_PAGE.many : QUEUE_PAGE.one, [
      more.length ? JSON.stringify(ctx.principal.authorities) : only!,
      QUEUE_STATUS[opts.status],
      ctx.principal.userId,
      opts.after ?? 0,
      opts.limit + 1,
    ]);
    await recordListAudit(tx, ctx, {
      action: "callback.list",
      detail: { status: opts.status },
      items: rows
        .slice(0, opts.limit)
        .map((r) => ({ authority: r.authority as string, id: r.id as string, subjects: JSON.parse(r.subjects as string) as string[] })),
    });
    const numbers = await recognisedNumbersFor(
      tx,
      rows.map((r) => ({ enquirerAgency: r.enquirer_agency as string | null })),
    );
    return rows.map((r) => {
      const agency = r.enquirer_agency as string | null;
      const recognised = agency ? (numbers.get(agencyKey(agency)) ?? []) : [];
      const json = `{"callbackNumberRecognised":${recognised.includes(r.callback_number as string)},"recognisedNumbers":${JSON.stringify(recognised)},${(r.item as string).slice(1)}`;
      return { id: r.id as string, authority: r.authority as string, cursor: r.reference_no as number, json };
    });
  });
}

/** The items of a page of the queue as objects, for the desk. */
export const queueItems = (rows: QueueItemJson[]): CallbackItem[] => rows.map((r) => JSON.parse(r.json) as CallbackItem);
export type CallbackItem = ReturnType<typeof itemView>;

/**
 * An enquiry in the officer's queue. Another authority's is not found, and so is the officer's
 * own enquiry (an officer who also enquires must not read the answer prepared for them, nor act
 * on it): both attempts audited against the enquiry's authority.
 */
async function enquiryInScope(tx: Tx, ctx: Ctx, id: string) {
  const [row] = await tx.select().from(enquiries).where(eq(enquiries.id, id));
  if (!row || !ctx.principal.authorities.includes(row.authority) || row.enquirerId === ctx.principal.userId)
    throw notFound("The enquiry", { type: "enquiry", id, authority: row?.authority ?? null });
  return row;
}

async function reload(tx: Tx, id: string) {
  const [row] = await tx.select().from(enquiries).where(eq(enquiries.id, id));
  return row!;
}

function assertHolds(ctx: Ctx, e: EnquiryRow) {
  if (e.status === "answered")
    throw conflict(`Enquiry ${formatReference(e.referenceNo)} has already been answered.`, { type: "enquiry", id: e.id });
  if (e.status !== "in_callback" || e.claimedBy !== ctx.principal.userId)
    throw conflict(
      e.claimedBy && e.claimedBy !== ctx.principal.userId
        ? `${e.claimedByName ?? "Another officer"} is handling this call-back.`
        : "Claim the call-back before acting on it.",
      { type: "enquiry", id: e.id },
    );
}

export async function claimCallback(ctx: Ctx, id: string) {
  return ctx.store.write(async (tx) => {
    const e = await enquiryInScope(tx, ctx, id);
    // The conditional update settles a race between two officers: only one row changes.
    const claimed = await tx
      .update(enquiries)
      .set({
        status: "in_callback",
        claimedBy: ctx.principal.userId,
        claimedByName: ctx.principal.name,
        claimedAt: ctx.clock.now().toISOString(),
      })
      .where(and(eq(enquiries.id, id), eq(enquiries.status, "awaiting_callback")))
      .returning({ id: enquiries.id });
    if (!claimed.length) assertHolds(ctx, e);
    else await refreshAnswer(tx, e, ctx.clock.now().toISOString(), londonToday(ctx.clock.now()));
    const row = await reload(tx, id);
    await recordAudit(tx, ctx, {
      action: "callback.claim",
      target: { type: "enquiry", id },
      authority: row.authority,
      subjects: answerSubjects(row.answer),
    });
    return (await itemsView(tx, [row]))[0]!;
  });
}

/**
 * Settles a possible match on the call-back: the officer has confirmed the child with the
 * enquirer (one of the candidates), or found it is none of them (then the rules for a child
 * not known apply). The answer is prepared afresh and the notifications follow.
 */
export async function confirmMatch(ctx: Ctx, id: string, childId: string | null) {
  return ctx.store.write(async (tx) => {
    const e = await enquiryInScope(tx, ctx, id);
    assertHolds(ctx, e);
    if (e.match !== "possible")
      throw conflict(`The match of ${formatReference(e.referenceNo)} is already settled (${e.match}).`, { type: "enquiry", id });
    const now = ctx.clock.now().toISOString();
    const prepared = e.answer;
    let answer: Answer;
    if (childId) {
      if (!prepared.candidates.some((c) => c.childId === childId))
        throw invalid("The child must be one of the enquiry's candidates.", [{ path: "childId", message: "is not one of the candidates" }]);
      const record = (await loadChildRecord(tx, childId))!;
      const scoped = await answerFor(tx, record, e.authority);
      // Held by another authority of the deployment, never this one's: not this authority's record to read out.
      if (!scoped)
        throw conflict(
          "That child's record is held by another authority of this service; reject the match and advise the enquirer to ask that authority.",
          { type: "enquiry", id },
        );
      answer = scoped;
      if (!scoped.movedTo) {
        const { openCase } = await notifyOpenCaseWorker(tx, now, e, record);
        // The Pan Dorset note: a second enquiry about a child who is not an open case.
        if (!openCase)
          answer = {
            ...answer,
            earlierEnquiries: await applySecondEnquiryRules(tx, now, {
              id,
              authority: e.authority,
              person: enquiredChild(e.details),
              childId,
            }),
          };
      }
    } else {
      const earlierEnquiries = await applySecondEnquiryRules(tx, now, { id, authority: e.authority, person: enquiredChild(e.details) });
      answer = { ...prepared, match: "not_known", candidates: [], earlierEnquiries, advice: ADVICE.not_known };
    }
    await tx
      .update(enquiries)
      .set({ match: answer.match, childId, answer: answer, matchConfirmedBy: ctx.principal.userId, matchConfirmedAt: now })
      .where(eq(enquiries.id, id));
    const row = await reload(tx, id);
    await recordAudit(tx, ctx, {
      action: "callback.confirm_match",
      target: { type: "enquiry", id },
      authority: row.authority,
      detail: { childId, candidates: prepared.candidates.map((c) => c.childId) },
      subjects: [...answerSubjects(prepared), ...answerSubjects(answer)],
    });
    return (await itemsView(tx, [row]))[0]!;
  });
}

/**
 * Completes the call-back (seed 004 §57: strict call-back to a recognised number). Checked
 * in this order: the caller holds the claim (409), the match is settled (409), the number
 * dialled is one of the enquirer's agency's recognised numbers (422). The answer is frozen
 * as given.
 */
export async function completeCallback(ctx: Ctx, id: string, input: { numberDialled: string; adviceGiven: string }) {
  return ctx.store.write(async (tx) => {
    const e = await enquiryInScope(tx, ctx, id);
    assertHolds(ctx, e);
    if (e.match === "possible")
      throw conflict("Confirm or reject the possible match with the enquirer before completing the call-back.", { type: "enquiry", id });
    const numbers = (await recognisedNumbersFor(tx, [e])).get(agencyKey(e.enquirerAgency ?? "")) ?? [];
    if (!numbers.length)
      throw invalid(
        `${e.enquirerAgency ?? "The enquirer's agency"} has no recognised telephone numbers recorded, so the call-back cannot be completed: ask the designated manager to record the agency's numbers.`,
        [{ path: "numberDialled", message: "the enquirer's agency has no recognised numbers" }],
      );
    const dialled = toE164(input.numberDialled);
    if (!dialled || !numbers.includes(dialled))
      throw new AppError("invalid", "Call back only on a recognised number of the enquirer's agency.", {
        errors: [{ path: "numberDialled", message: `is not a recognised number of ${e.enquirerAgency}: use one of ${numbers.join(", ")}` }],
        target: { type: "enquiry", id },
      });
    const now = ctx.clock.now().toISOString();
    const done = await tx
      .update(enquiries)
      .set({
        status: "answered",
        answeredAt: now,
        answeredBy: ctx.principal.userId,
        numberDialled: dialled,
        adviceGiven: input.adviceGiven,
        answerGiven: sql`${enquiries.answer}`,
      })
      .where(and(eq(enquiries.id, id), eq(enquiries.status, "in_callback"), eq(enquiries.claimedBy, ctx.principal.userId)))
      .returning({ id: enquiries.id });
    if (!done.length) throw conflict("The call-back changed while you were completing it; reload it.", { type: "enquiry", id });
    const row = await reload(tx, id);
    await recordAudit(tx, ctx, {
      action: "callback.complete",
      target: { type: "enquiry", id },
      authority: row.authority,
      detail: { numberDialled: dialled },
      subjects: answerSubjects(row.answer),
    });
    return (await itemsView(tx, [row]))[0]!;
  });
}

/** One queue item, as the list shows it; an audited read like the list's. Another authority's is not found. */
export async function getCallback(ctx: Ctx, id: string) {
  return ctx.store.write(async (tx) => {
    const e = await enquiryInScope(tx, ctx, id);
    await recordAudit(tx, ctx, {
      action: "callback.read",
      target: { type: "enquiry", id },
      authority: e.authority,
      subjects: answerSubjects(e.answer),
    });
    return (await itemsView(tx, [e]))[0]!;
  });
}

/**
 * What the officer holding a possible match compares with the enquirer: the enquiry's details
 * beside each candidate's identifying details as the register holds them (names, aliases,
 * date of birth, sex, NHS number, present address), and no more of the record until one is
 * confirmed. A candidate this authority may no longer answer about (handed over since the
 * enquiry came in) is left out and counted; one held by another authority shows no address.
 */
export async function compareCandidates(ctx: Ctx, id: string) {
  return ctx.store.write(async (tx) => {
    const e = await enquiryInScope(tx, ctx, id);
    assertHolds(ctx, e);
    if (e.match !== "possible")
      throw conflict(`The match of ${formatReference(e.referenceNo)} is settled (${e.match}); there is nothing to compare.`, {
        type: "enquiry",
        id,
      });
    const answer = e.answer;
    const carers = enquiredChild(e.details).carers ?? [];
    const records = await Promise.all(answer.candidates.map((c) => loadChildRecord(tx, c.childId)));
    const scoped = await Promise.all(records.map((r) => (r ? answerFor(tx, r, e.authority) : null)));
    const candidates = answer.candidates.flatMap((c, i) => {
      const r = records[i];
      if (!r || !scoped[i]) return [];
      const ours = r.authority === e.authority;
      return [
        {
          childId: c.childId,
          score: c.score,
          reasons: c.reasons,
          givenNames: r.givenNames,
          familyName: r.familyName,
          aliases: r.aliases,
          dateOfBirth: r.dateOfBirth,
          sex: r.sex,
          nhsNumber: r.nhsNumber,
          addresses: ours
            ? r.addresses
                .filter((a) => a.current)
                .map((a) => ({ line1: a.line1, line2: a.line2, town: a.town, postcode: a.postcode, current: a.current }))
            : [],
          people: ours ? r.people.map(({ id: _id, ...p }) => ({ ...p, matchesCarer: personMatchesCarer(carers, p) })) : [],
        },
      ];
    });
    await recordAudit(tx, ctx, {
      action: "callback.compare",
      target: { type: "enquiry", id },
      authority: e.authority,
      subjects: candidates.map((c) => c.childId),
    });
    return {
      id: e.id,
      reference: formatReference(e.referenceNo),
      enquiry: detailsView(e),
      candidates,
      heldElsewhere: answer.candidates.length - candidates.length,
    };
  });
}

/**
 * How the queue stands, with nothing about any child: what a page polls to know when to
 * fetch the (audited) list again.
 */
export async function queueSignal(ctx: Ctx) {
  if (!ctx.principal.authorities.length) return { waiting: 0, inCallback: 0, latest: 0 };
  const [row] = await ctx.store.read
    .select({
      waiting: sql<number>`coalesce(sum(${enquiries.status} = 'awaiting_callback'), 0)`,
      inCallback: sql<number>`coalesce(sum(${enquiries.status} = 'in_callback'), 0)`,
      latest: sql<number>`coalesce(max(${enquiries.referenceNo}), 0)`,
    })
    .from(enquiries)
    .where(
      and(
        inArray(enquiries.authority, ctx.principal.authorities),
        inArray(enquiries.status, ["awaiting_callback", "in_callback"]),
        ne(enquiries.enquirerId, ctx.principal.userId),
      ),
    );
  return { waiting: Number(row?.waiting ?? 0), inCallback: Number(row?.inCallback ?? 0), latest: Number(row?.latest ?? 0) };
}
