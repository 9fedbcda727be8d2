import { and, asc, desc, eq, inArray, isNull } from "drizzle-orm";
import { cases, workers } from "../db/schema";
import type { Queryable } from "../db/store";

/**
 * The open cases of these children with their key workers (none, or one without a login, is
 * possible), latest opened first: each caller takes the case it needs of each child.
 */
export function openCasesOf(q: Queryable, childIds: string[]) {
  return q
    .select({
      childId: cases.childId,
      workerId: workers.id,
      name: workers.name,
      phone: workers.phone,
      userId: workers.userId,
    })
    .from(cases)
    .leftJoin(workers, eq(workers.id, cases.keyWorkerId))
    .where(and(inArray(cases.childId, childIds), isNull(cases.closedOn)))
    .orderBy(desc(cases.openedOn), asc(cases.id));
}
