import { and, asc, eq, inArray, ne, sql } from "drizzle-orm";
import { enqueueForCustodian } from "../db/outbox";
import { inJson, prepared } from "../db/prepared";
import { cinConsiderations, considerationEnquiries, enquiries, enquiryAddressKeys, enquiryNames } from "../db/schema";
import type { Tx } from "../db/store";
import { newId } from "../lib/ids";
import { formatReference } from "../lib/reference";
import { type EnquiredChild, sameChildByRegisterRules } from "../matching/match";
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
const enquiriesById = prepared((q) => q.select().from(enquiries).where(inJson(enquiries.id, "ids")).orderBy(asc(enquiries.referenceNo)));
const addressKeysOf = prepared((q) => q.select().from(enquiryAddressKeys).where(inJson(enquiryAddressKeys.enquiryId, "ids")));

/**
 * Seed 004 §61 and seed 000 2.155: a second enquiry about a child not known → the later
 * enquirer is told of the earlier one, and the designated manager must consider whether
 * this is a child in need. Later enquiries join the open consideration; once it is decided,
 * the next one opens a new consideration holding the earlier enquiries too.
 *
 * Runs inside the enquiry's write transaction; transactions are serialised, so enquiries
 * arriving together still end in one consideration.
 */
export async function applyUnknownChildRules(
  tx: Tx,
  now: string,
  enquiry: { id: string; authority: string; person: EnquiredChild },
): Promise<EarlierEnquiry[]> {
  const sameName = await sameNameNotKnown(tx).all({
    authority: enquiry.authority,
    surnames: JSON.stringify(familyKeys(enquiry.person)),
    id: enquiry.id,
  });
  if (!sameName.length) return [];
  const ids = JSON.stringify(sameName.map((r) => r.id));
  const [rows, keys] = await Promise.all([enquiriesById(tx).all({ ids }), addressKeysOf(tx).all({ ids })]);
  const earlier = rows.filter((r) =>
    sameChildByRegisterRules(enquiry.person, {
      ...enquiredChild(r.details),
      addressKeys: keys.filter((k) => k.enquiryId === r.id).map((k) => k.addressKey),
    }),
  );
  if (!earlier.length) return [];

  const [open] = await tx
    .select({ id: cinConsiderations.id })
    .from(considerationEnquiries)
    .innerJoin(cinConsiderations, eq(cinConsiderations.id, considerationEnquiries.considerationId))
    .where(
      and(
        inArray(
          considerationEnquiries.enquiryId,
          earlier.map((e) => e.id),
        ),
        eq(cinConsiderations.status, "open"),
      ),
    )
    .orderBy(asc(cinConsiderations.openedAt))
    .limit(1);
  const considerationId = open?.id ?? newId();
  if (!open) {
    await tx.insert(cinConsiderations).values({ id: considerationId, authority: enquiry.authority, status: "open", openedAt: now });
    const [me] = await tx.select({ referenceNo: enquiries.referenceNo }).from(enquiries).where(eq(enquiries.id, enquiry.id));
    await enqueueForCustodian(tx, now, enquiry.authority, "consideration_opened", considerationId, formatReference(me!.referenceNo));
  }
  await tx
    .insert(considerationEnquiries)
    .values([...earlier.map((e) => e.id), enquiry.id].map((enquiryId) => ({ considerationId, enquiryId, addedAt: now })))
    .onConflictDoNothing();

  return earlier.map((e) => ({
    reference: formatReference(e.referenceNo),
    receivedAt: e.receivedAt,
    agency: e.enquirerAgency,
    profession: e.enquirerProfession,
  }));
}
