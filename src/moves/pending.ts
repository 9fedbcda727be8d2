/**
 * A child moving between two authorities of this deployment belongs to the sending authority
 * until the receiving one records its outcome; meanwhile the receiving authority answers
 * enquiries about the child too (as it would about any child on another authority's plan who
 * has moved in). After the handover, the sending authority no longer holds the record.
 */
import { and, eq, isNotNull, isNull } from "drizzle-orm";
import { movesIn, movesOut } from "../db/schema";
import type { Queryable } from "../db/store";

/** Children whose handover into `authority` is awaiting its outcome. */
export async function pendingHandoversInto(q: Queryable, authority: string): Promise<string[]> {
  const rows = await q
    .select({ childId: movesIn.childId })
    .from(movesIn)
    .where(and(eq(movesIn.authority, authority), isNull(movesIn.outcome), isNotNull(movesIn.handoverOf)));
  return rows.map((r) => r.childId);
}

/** Whether an authority may answer from a child's record: its own, or one being handed over to it. */
export async function mayAnswerFrom(q: Queryable, record: { id: string; authority: string }, authority: string): Promise<boolean> {
  return record.authority === authority || (await pendingHandoversInto(q, authority)).includes(record.id);
}

/** Children this authority handed over to another authority of the deployment, with where and when. */
export async function handedAwayFrom(q: Queryable, authority: string) {
  return q
    .select({ childId: movesOut.childId, to: movesOut.receivingAuthorityName, on: movesOut.confirmedOn })
    .from(movesOut)
    .where(and(eq(movesOut.authority, authority), isNotNull(movesOut.confirmedOn), isNotNull(movesOut.receivingAuthorityCode)));
}
