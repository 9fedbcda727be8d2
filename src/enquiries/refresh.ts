import { eq } from "drizzle-orm";
import { enquiries } from "../db/schema";
import type { Tx } from "../db/store";
import { matchChild } from "../matching/match";
import { loadChildRecord } from "../register/child-record";
import { answerFor, prepareAnswer } from "./answer";
import { enquiredChild } from "./enquired";
import { notifyOpenCaseWorker } from "./notify";
import type { EnquiryRow } from "./views";

/**
 * Brings a prepared answer up to date when a duty officer takes the call-back, which may be
 * hours after the enquiry: a plan may have ended, or a child not known then may be on the
 * register now. A possible match is left for the officer to settle.
 */
export async function refreshAnswer(tx: Tx, e: EnquiryRow, now: string, today: string): Promise<void> {
  const before = e.answer;
  if (e.match === "known" && e.childId) {
    const record = await loadChildRecord(tx, e.childId);
    // A record handed over since is answered as the authority may answer it (its own plans, and where the child went).
    const answer = record && (await answerFor(tx, record, e.authority));
    if (!answer) return;
    // The earlier enquiries the second-enquiry rule named at receipt stay named (the register's answer has none of its own).
    await tx
      .update(enquiries)
      .set({ answer: { ...answer, earlierEnquiries: before.earlierEnquiries } })
      .where(eq(enquiries.id, e.id));
    return;
  }
  if (e.match !== "not_known") return;
  const match = await matchChild(tx, e.authority, enquiredChild(e.details), today);
  if (match.match === "not_known") return;
  const { answer, record } = await prepareAnswer(tx, match, e.authority);
  answer.earlierEnquiries = before.earlierEnquiries;
  await tx.update(enquiries).set({ match: match.match, childId: match.childId, answer: answer }).where(eq(enquiries.id, e.id));
  if (record) await notifyOpenCaseWorker(tx, now, e, record);
}
