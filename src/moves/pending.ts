/**
 * A child moving between two authorities of this deployment belongs to the sending authority
 * until the receiving one records its outcome; meanwhile the receiving authority answers
 * enquiries about the child too (as it would about any child on another authority's plan who
 * has moved in). After the handover, the sending authority can still say the child was on its
 * plan and where the child went.
 */
import { and, eq, isNotNull, isNull } from "drizzle-orm";
import { execute } from "../db/prepared";
import { movesIn, movesOut } from "../db/schema";
import type { Queryable } from "../db/store";

/** Children an authority may answer about without holding them: being handed over to it, or handed over by it. */
export async function handoverChildren(q: Queryable, authority: string): Promise<string[]> {
  // On every enquiry's path: fixed text, run past the query builder (db/prepared.ts).
  const rows = await execute(q, HANDOVERS, [authority, authority]);
  return rows.map((r) => String(r.child_id));
}

const HANDOVERS = `SELECT child_id FROM moves_in WHERE authority = ? AND outcome IS NULL AND handover_of IS NOT NULL
  UNION SELECT child_id FROM moves_out WHERE authority = ? AND confirmed_on IS NOT NULL AND receiving_authority_code IS NOT NULL`;

/** How a child not held by `authority` stands to it: being handed over to it, handed over by it (where, when), or neither. */
export async function handoverOf(
  q: Queryable,
  childId: string,
  authority: string,
): Promise<{ into: true } | { away: { to: string; on: string } } | null> {
  const [into] = await q
    .select({ id: movesIn.id })
    .from(movesIn)
    .where(and(eq(movesIn.childId, childId), eq(movesIn.authority, authority), isNull(movesIn.outcome), isNotNull(movesIn.handoverOf)))
    .limit(1);
  if (into) return { into: true };
  const [away] = await q
    .select({ to: movesOut.receivingAuthorityName, on: movesOut.confirmedOn })
    .from(movesOut)
    .where(
      and(
        eq(movesOut.childId, childId),
        eq(movesOut.authority, authority),
        isNotNull(movesOut.confirmedOn),
        isNotNull(movesOut.receivingAuthorityCode),
      ),
    )
    .limit(1);
  return away ? { away: { to: away.to, on: away.on! } } : null;
}
