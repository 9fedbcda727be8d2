import { and, asc, eq, inArray, isNotNull, ne, sql } from "drizzle-orm";
import { enqueueForCustodian } from "../db/outbox";
import { inJson, prepared } from "../db/prepared";
import {
  children,
  cinConsiderations,
  considerationEnquiries,
  enquiries,
  enquiryAddressKeys,
  enquiryNames,
  movesIn,
  movesOut,
} from "../db/schema";
import type { Tx } from "../db/store";
import { newId } from "../lib/ids";
import { formatReference } from "../lib/reference";
import { type EnquiredChild, possiblySameChild, sameChildByRegisterRules } from "../matching/match";
import { familyKeys } from "../matching/variants";
import type { EarlierEnquiry } from "./answer";
import { enquiredChild } from "./enquired";

// The rule's reads, built once (db/prepared.ts); lists go as one JSON parameter.
const sameNameNotKnown = prepared((q) =>
  q
    .selectDistinct({ id: enquiries.id })
    .from(enquiryNames)
    .innerJoin(enquiries, eq(enquiries.id, enquiryNames.enquiryId))
    .where(
      and(
        eq(enquiryNames.authority, sql.placeholder("authority")),
        inJson(enquiryNames.familyKey, "surnames"),
        eq(enquiries.match, "not_known"),
        ne(enquiries.id, sql.placeholder("id")),
      ),
    ),
);
const aboutChild = prepared((q) =>
  q
    .select({ id: enquiries.id })
    .from(enquiries)
    .where(
      and(
        eq(enquiries.childId, sql.placeholder("childId")),
        eq(enquiries.authority, sql.placeholder("authority")),
        ne(enquiries.id, sql.placeholder("id")),
      ),
    ),
);
const enquiriesById = prepared((q) => q.select().from(enquiries).where(inJson(enquiries.id, "ids")).orderBy(asc(enquiries.referenceNo)));
const addressKeysOf = prepared((q) => q.select().from(enquiryAddressKeys).where(inJson(enquiryAddressKeys.enquiryId, "ids")));

/**
 * Seed 004 §61 and seed 000 2.155, widened by the Pan Dorset note: a second enquiry about a
 * child who is not an open case (not known, or known with a closed case or none) → the later
 * enquirer is told of the earlier one, and the designated manager must consider whether this
 * is a child in need. Later enquiries join the open consideration; once it is decided, the next
 * one opens a new consideration holding the earlier enquiries too. An earlier enquiry about a
 * child not known that only the near-miss rules link is put to the manager marked as a
 * possible link, and not told to the enquirer: it may be another child.
 *
 * Runs inside the enquiry's write transaction; transactions are serialised, so enquiries
 * arriving together still end in one consideration.
 */
export async function applySecondEnquiryRules(
  tx: Tx,
  now: string,
  enquiry: { id: string; authority: string; person: EnquiredChild; childId?: string | null },
): Promise<EarlierEnquiry[]> {
  const unknown = await earlierAboutUnknownChild(tx, enquiry);
  let { same, possible } = unknown;
  if (enquiry.childId) {
    // Enquiries answered "not known" before this authority's register could find the child are
    // about it too, by the same rules; not one made after (the register could have found it
    // and did not), nor one a duty officer settled after (they judged it another child).
    if (same.length || possible.length) {
      const since = await findableSince(tx, enquiry.authority, enquiry.childId);
      const beforeRegistered = (e: EnquiryRow) => e.receivedAt <= since && (e.matchConfirmedAt === null || e.matchConfirmedAt <= since);
      possible = possible.filter(beforeRegistered);
      same = same.filter(beforeRegistered);
    }
    same = [...(await earlierAboutChild(tx, enquiry.authority, enquiry.childId, enquiry.id)), ...same].sort(
      (a, b) => a.referenceNo - b.referenceNo,
    );
  }
  if (!same.length && !possible.length) return [];

  const linked = [...same, ...possible].map((e) => e.id);
  const [open] = await tx
    .select({ id: cinConsiderations.id })
    .from(considerationEnquiries)
    .innerJoin(cinConsiderations, eq(cinConsiderations.id, considerationEnquiries.considerationId))
    .where(and(inArray(considerationEnquiries.enquiryId, linked), eq(cinConsiderations.status, "open")))
    .orderBy(asc(cinConsiderations.openedAt))
    .limit(1);
  const considerationId = open?.id ?? newId();
  if (!open) {
    await tx.insert(cinConsiderations).values({ id: considerationId, authority: enquiry.authority, status: "open", openedAt: now });
    const [me] = await tx.select({ referenceNo: enquiries.referenceNo }).from(enquiries).where(eq(enquiries.id, enquiry.id));
    await enqueueForCustodian(tx, now, enquiry.authority, "consideration_opened", considerationId, formatReference(me!.referenceNo));
  }
  // An enquiry held as a possible link that this one finds to be the same child is no longer in doubt.
  await tx
    .insert(considerationEnquiries)
    .values([...same.map((e) => e.id), enquiry.id].map((enquiryId) => ({ considerationId, enquiryId, addedAt: now, possibleLink: false })))
    .onConflictDoUpdate({
      target: [considerationEnquiries.considerationId, considerationEnquiries.enquiryId],
      set: { possibleLink: false },
    });
  if (possible.length)
    await tx
      .insert(considerationEnquiries)
      .values(possible.map((e) => ({ considerationId, enquiryId: e.id, addedAt: now, possibleLink: true })))
      .onConflictDoNothing();

  return same.map((e) => ({
    reference: formatReference(e.referenceNo),
    receivedAt: e.receivedAt,
    agency: e.enquirerAgency,
    profession: e.enquirerProfession,
  }));
}

type EnquiryRow = typeof enquiries.$inferSelect;

/**
 * When the authority's register could first find the child: its record's making, or for a child
 * first handed over to it from another authority of the deployment, the first move in that
 * brought it (matching reads the authority's own children and those moving in to it; one it has
 * handed over is answered as moved, and this rule does not run). A child that left and came
 * back was findable from its record's making.
 */
async function findableSince(tx: Tx, authority: string, childId: string): Promise<string> {
  const [child] = await tx.select({ createdAt: children.createdAt }).from(children).where(eq(children.id, childId));
  const [firstIn] = await tx
    .select({ at: movesIn.createdAt })
    .from(movesIn)
    .where(and(eq(movesIn.childId, childId), eq(movesIn.authority, authority), isNotNull(movesIn.handoverOf)))
    .orderBy(asc(movesIn.createdAt))
    .limit(1);
  if (!firstIn) return child!.createdAt;
  const [firstOut] = await tx
    .select({ at: movesOut.createdAt })
    .from(movesOut)
    .where(and(eq(movesOut.childId, childId), eq(movesOut.authority, authority)))
    .orderBy(asc(movesOut.createdAt))
    .limit(1);
  // It moved out of here before it was first handed here: the record began here.
  return firstOut && firstOut.at < firstIn.at ? child!.createdAt : firstIn.at;
}

/** Earlier enquiries about a known child (the register said who it was). */
async function earlierAboutChild(tx: Tx, authority: string, childId: string, id: string): Promise<EnquiryRow[]> {
  const rows = await aboutChild(tx).all({ childId, authority, id });
  if (!rows.length) return [];
  return enquiriesById(tx).all({ ids: JSON.stringify(rows.map((r) => r.id)) });
}

/**
 * Earlier enquiries answered "not known" about this child: the same child by the register's
 * rules, or possibly by the near-miss ones. Asked for a known child too, since an enquiry made
 * before the child was registered is still about it.
 */
async function earlierAboutUnknownChild(
  tx: Tx,
  enquiry: { id: string; authority: string; person: EnquiredChild },
): Promise<{ same: EnquiryRow[]; possible: EnquiryRow[] }> {
  const sameName = await sameNameNotKnown(tx).all({
    authority: enquiry.authority,
    surnames: JSON.stringify(familyKeys(enquiry.person)),
    id: enquiry.id,
  });
  if (!sameName.length) return { same: [], possible: [] };
  const ids = JSON.stringify(sameName.map((r) => r.id));
  const [rows, keys] = await Promise.all([enquiriesById(tx).all({ ids }), addressKeysOf(tx).all({ ids })]);
  const same: EnquiryRow[] = [];
  const possible: EnquiryRow[] = [];
  for (const r of rows) {
    const other = { ...enquiredChild(r.details), addressKeys: keys.filter((k) => k.enquiryId === r.id).map((k) => k.addressKey) };
    if (sameChildByRegisterRules(enquiry.person, other)) same.push(r);
    else if (possiblySameChild(enquiry.person, other)) possible.push(r);
  }
  return { same, possible };
}
