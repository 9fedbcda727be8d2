/**
 * The enquiry written down (domain.md step 3, "kept as the contact sheet"): the enquirer, the
 * enquiry's row with its reference, and the name variants and address keys later enquiries
 * and the key workers' notices are found by. Statements are built once (db/prepared.ts).
 */
import { getTableName, sql } from "drizzle-orm";
import type { Answer } from "../db/answer-shape";
import { execute, prepared } from "../db/prepared";
import { agencyAuthorities, type EnquiryDetails, enquirers, enquiries, enquiryAddressKeys, enquiryNames } from "../db/schema";
import type { Tx } from "../db/store";
import type { Ctx } from "../domain/ctx";
import { newId } from "../lib/ids";
import type { EnquiredChild } from "../matching/match";
import { nameVariants } from "../matching/variants";
import { addressKey } from "../register/address";

const upsert = prepared((q) =>
  q
    .insert(enquirers)
    .values({
      userId: sql.placeholder("userId"),
      name: sql.placeholder("name"),
      profession: sql.placeholder("profession"),
      agency: sql.placeholder("agency"),
      firstSeenAt: sql.placeholder("now"),
      lastSeenAt: sql.placeholder("now"),
    })
    .onConflictDoUpdate({
      target: enquirers.userId,
      set: {
        name: sql`excluded.name`,
        profession: sql`excluded.profession`,
        agency: sql`excluded.agency`,
        lastSeenAt: sql`excluded.last_seen_at`,
      },
    }),
);
// The enquiry's name variants and address keys, any number of rows in one statement of fixed text.
const INSERT_NAMES = `INSERT INTO ${getTableName(enquiryNames)} (id, enquiry_id, authority, given_key, family_key)
  SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4 FROM json_each(?)`;
const INSERT_ADDRESS_KEYS = `INSERT INTO ${getTableName(enquiryAddressKeys)} (id, enquiry_id, address_key, current)
  SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3 FROM json_each(?)`;
// The enquirer's agency is used by the authority enquired of: its managers may change the agency's numbers.
const INSERT_AGENCY_USER = `INSERT OR IGNORE INTO ${getTableName(agencyAuthorities)} (agency_id, authority, since) VALUES (?, ?, ?)`;
const ENQUIRY_COLUMNS = [
  "id",
  "details",
  "authority",
  "enquirerId",
  "enquirerName",
  "enquirerProfession",
  "enquirerAgency",
  "agencyId",
  "receivedAt",
  "outOfHours",
  "status",
  "callbackNumber",
  "callbackNumberRecognised",
  "dateOfBirth",
  "match",
  "childId",
  "answer",
  "groupId",
  "namesChecked",
] as const;
export type EnquiryValues = { [K in (typeof ENQUIRY_COLUMNS)[number]]: (typeof enquiries.$inferInsert)[K] };
// The reference is the next number, taken inside the insert (one call less a write; writes are
// serialised, so two enquiries cannot take the same one) and given back by it.
const insertEnquiry = prepared((q) =>
  q
    .insert(enquiries)
    .values({
      id: sql.placeholder("id"),
      details: sql.placeholder("details"),
      referenceNo: sql`(SELECT coalesce(max(reference_no), 0) + 1 FROM enquiries)`,
      authority: sql.placeholder("authority"),
      enquirerId: sql.placeholder("enquirerId"),
      enquirerName: sql.placeholder("enquirerName"),
      enquirerProfession: sql.placeholder("enquirerProfession"),
      enquirerAgency: sql.placeholder("enquirerAgency"),
      agencyId: sql.placeholder("agencyId"),
      receivedAt: sql.placeholder("receivedAt"),
      outOfHours: sql.placeholder("outOfHours"),
      status: sql.placeholder("status"),
      callbackNumber: sql.placeholder("callbackNumber"),
      callbackNumberRecognised: sql.placeholder("callbackNumberRecognised"),
      dateOfBirth: sql.placeholder("dateOfBirth"),
      match: sql.placeholder("match"),
      childId: sql.placeholder("childId"),
      answer: sql.placeholder("answer"),
      groupId: sql.placeholder("groupId"),
      namesChecked: sql.placeholder("namesChecked"),
    })
    .returning({ referenceNo: enquiries.referenceNo }),
);

export async function upsertEnquirer(tx: Tx, ctx: Ctx, now: string) {
  const { userId, name, profession, agency } = ctx.principal;
  await upsert(tx).run({ userId, name, profession, agency, now });
}

/** Writes the enquiry and what it is found by; gives back its reference number. */
export async function recordEnquiry(
  tx: Tx,
  row: EnquiryValues,
  person: EnquiredChild,
  addresses: EnquiryDetails["addresses"],
): Promise<number> {
  const [inserted] = await insertEnquiry(tx).all(row);
  if (row.agencyId) await execute(tx, INSERT_AGENCY_USER, [row.agencyId, row.authority, row.receivedAt]);
  await execute(tx, INSERT_NAMES, [
    JSON.stringify(nameVariants(person).map((v) => [newId(), row.id, row.authority, v.given.join(" "), v.family])),
  ]);
  const keyed = addresses.flatMap((a) => {
    const key = addressKey(a.line1, a.postcode ?? null, a.line2);
    return key ? [[newId(), row.id, key, a.current ? 1 : 0]] : [];
  });
  if (keyed.length) await execute(tx, INSERT_ADDRESS_KEYS, [JSON.stringify(keyed)]);
  return inserted!.referenceNo;
}

/** The answer as the unknown-child rule left it, once it has recalled earlier enquiries. */
export async function updateAnswer(tx: Tx, id: string, answer: Answer) {
  await tx.update(enquiries).set({ answer }).where(sql`${enquiries.id} = ${id}`);
}
