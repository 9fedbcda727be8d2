import { getTableName, sql } from "drizzle-orm";
import type { Ctx } from "../domain/ctx";
import { recordAudit } from "../audit/audit.service";
import { closuresOf } from "../calendar/closures.service";
import { isWithinOfficeHours } from "../calendar/office-hours";
import { authorities, enquirers, enquiries, enquiryAddressKeys, enquiryNames, type EnquiryDetails } from "../db/schema";
import { execute, prepared } from "../db/prepared";
import type { Queryable, Tx } from "../db/store";
import { AppError, invalid } from "../lib/errors";
import { implausibleDelivery, londonToday } from "../lib/dates";
import { newId } from "../lib/ids";
import { formatForPeople } from "../lib/phone";
import { matchChild } from "../matching/match";
import { nameVariants } from "../matching/variants";
import { addressKey } from "../register/address";
import { agencyByName } from "../register/agencies.service";
import { findAuthority } from "../register/authorities.service";
import { authorityForPostcode, postcodeAreasOfDeployment } from "../register/postcode-areas";
import { eligibleFor, professionLabel } from "../register/professions";
import { prepareAnswer } from "./answer";
import type { EnquiryCreate } from "./enquiries.schemas";
import { notify, openCaseWorkerNow, sameAddressWorkers } from "./notify";
import { linkEnquiryToRisk } from "../risk/risk.service";
import { enquiredChild, enquirySubject } from "./enquired";
import { formatReference } from "../lib/reference";
import { applyUnknownChildRules } from "./unknown-child";
import { enquiryCost, fitsWithin, overEnquiryLimit, recentEnquiryCost, type EnquiryLimit } from "./rate-limit";

/** The authority an enquiry is for: the one named, or the deployment's only one. */
async function resolveAuthority(q: Queryable, code: string | undefined) {
  if (code) {
    const row = await findAuthority(q, code.toUpperCase());
    if (!row) throw invalid(`Authority ${code} is not one this service holds.`, [{ path: "authority", message: "is not a known authority" }]);
    return row;
  }
  const rows = await q.select().from(authorities).limit(2);
  if (rows.length !== 1) throw invalid("Name the authority you are enquiring of.", [{ path: "authority", message: "is required: this service holds several authorities" }]);
  return rows[0]!;
}

/**
 * The Pan Dorset note: the other authorities of this deployment the enquiry is checked
 * against — those the enquirer names, and those whose postcode areas hold an address given.
 * An authority whose list of eligible professions leaves the enquirer out is not checked, and
 * the enquirer is told so.
 */
async function otherAuthorities(ctx: Ctx, primary: string, named: string[], addresses: EnquiryDetails["addresses"]) {
  const found = new Map<string, typeof authorities.$inferSelect>();
  for (const [i, raw] of named.entries()) {
    const row = await findAuthority(ctx.store.read, raw.toUpperCase());
    if (!row) throw invalid(`Authority ${raw.toUpperCase()} is not one this service holds.`, [{ path: `alsoAuthorities.${i}`, message: "is not a known authority" }]);
    found.set(row.code, row);
  }
  const codes = new Set(found.keys());
  const postcodes = addresses.map((a) => a.postcode).filter((p): p is string => !!p);
  if (postcodes.length) {
    const areas = await postcodeAreasOfDeployment(ctx.store.read);
    for (const p of postcodes) {
      const code = authorityForPostcode(p, areas);
      if (code) codes.add(code);
    }
  }
  codes.delete(primary);
  const checked: (typeof authorities.$inferSelect)[] = [];
  const refused: { authority: string; reason: string }[] = [];
  for (const code of [...codes].sort()) {
    const row = found.get(code) ?? (await findAuthority(ctx.store.read, code))!;
    if (ctx.principal.profession && eligibleFor(row.eligibleProfessions).includes(ctx.principal.profession)) checked.push(row);
    else refused.push({ authority: code, reason: `${row.name} does not take enquiries from your profession; call its First Response service on ${formatForPeople(row.firstResponsePhone)}.` });
  }
  return { checked, refused };
}

/** Seed 004 §58: only the eligible professions may consult the register; anyone else is pointed to the front door. */
function assertEligible(ctx: Ctx, authority: typeof authorities.$inferSelect) {
  const profession = ctx.principal.profession;
  if (profession && eligibleFor(authority.eligibleProfessions).includes(profession)) return profession;
  throw new AppError(
    "forbidden",
    `${profession ? `${professionLabel(profession)}s are` : "Your login names no profession, so you are"} not among those who may consult the child protection register of ${authority.name}. If you are worried about a child, contact the First Response service on ${formatForPeople(authority.firstResponsePhone)}.`,
    { target: { type: "authority", id: authority.code }, auditDetail: { profession, agency: ctx.principal.agency, name: ctx.principal.name } },
  );
}

/** The present address: those marked current, or else the first listed (the form asks for it first). */
function withCurrent(addresses: EnquiryCreate["addresses"]): EnquiryDetails["addresses"] {
  const anyMarked = addresses.some((a) => a.current === true);
  return addresses.map((a, i) => ({ ...a, current: anyMarked ? a.current === true : i === 0 }));
}

// The statements every enquiry writes, built once (db/prepared.ts).
const upsert = prepared((q) =>
  q
    .insert(enquirers)
    .values({ userId: sql.placeholder("userId"), name: sql.placeholder("name"), profession: sql.placeholder("profession"), agency: sql.placeholder("agency"), firstSeenAt: sql.placeholder("now"), lastSeenAt: sql.placeholder("now") })
    .onConflictDoUpdate({ target: enquirers.userId, set: { name: sql`excluded.name`, profession: sql`excluded.profession`, agency: sql`excluded.agency`, lastSeenAt: sql`excluded.last_seen_at` } }),
);
// The enquiry's name variants and address keys, any number of rows in one statement of fixed text.
const INSERT_NAMES = `INSERT INTO ${getTableName(enquiryNames)} (id, enquiry_id, authority, given_key, family_key)
  SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4 FROM json_each(?)`;
const INSERT_ADDRESS_KEYS = `INSERT INTO ${getTableName(enquiryAddressKeys)} (id, enquiry_id, address_key, current)
  SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3 FROM json_each(?)`;
const ENQUIRY_COLUMNS = ["id", "details", "authority", "enquirerId", "enquirerName", "enquirerProfession", "enquirerAgency", "agencyId", "receivedAt", "outOfHours", "status", "callbackNumber", "callbackNumberRecognised", "dateOfBirth", "match", "childId", "answer", "groupId", "namesChecked"] as const;
type EnquiryValues = { [K in (typeof ENQUIRY_COLUMNS)[number]]: (typeof enquiries.$inferInsert)[K] };
// The reference is the next number, taken inside the insert (one call less a write; writes are
// serialised, so two enquiries cannot take the same one) and given back by it.
const insertEnquiry = prepared((q) =>
  q.insert(enquiries).values({ id: sql.placeholder("id"), details: sql.placeholder("details"), referenceNo: sql`(SELECT coalesce(max(reference_no), 0) + 1 FROM enquiries)`, authority: sql.placeholder("authority"), enquirerId: sql.placeholder("enquirerId"), enquirerName: sql.placeholder("enquirerName"), enquirerProfession: sql.placeholder("enquirerProfession"), enquirerAgency: sql.placeholder("enquirerAgency"), agencyId: sql.placeholder("agencyId"), receivedAt: sql.placeholder("receivedAt"), outOfHours: sql.placeholder("outOfHours"), status: sql.placeholder("status"), callbackNumber: sql.placeholder("callbackNumber"), callbackNumberRecognised: sql.placeholder("callbackNumberRecognised"), dateOfBirth: sql.placeholder("dateOfBirth"), match: sql.placeholder("match"), childId: sql.placeholder("childId"), answer: sql.placeholder("answer"), groupId: sql.placeholder("groupId"), namesChecked: sql.placeholder("namesChecked") }).returning({ referenceNo: enquiries.referenceNo }),
);

async function upsertEnquirer(tx: Tx, ctx: Ctx, now: string) {
  const { userId, name, profession, agency } = ctx.principal;
  await upsert(tx).run({ userId, name, profession, agency, now });
}

/**
 * An enquiry, step by step (domain.md): the enquirer is checked and recorded, the enquiry
 * kept as the contact sheet, the child matched and the answer prepared, and the actions
 * after an enquiry taken (seed 004 §59-61) — all in one transaction.
 */
export async function submitEnquiry(ctx: Ctx, input: EnquiryCreate, limit: EnquiryLimit) {
  const authority = await resolveAuthority(ctx.store.read, input.authority);
  const profession = assertEligible(ctx, authority);
  const nowDate = ctx.clock.now();
  const now = nowDate.toISOString();
  const today = londonToday(nowDate);
  if (input.child?.dateOfBirth && input.child.dateOfBirth > today)
    throw invalid("The date of birth is in the future.", [{ path: "child.dateOfBirth", message: "must not be in the future" }]);
  if (input.unborn?.mother.dateOfBirth && input.unborn.mother.dateOfBirth > today)
    throw invalid("The mother's date of birth is in the future.", [{ path: "unborn.mother.dateOfBirth", message: "must not be in the future" }]);
  const delivery = input.unborn?.expectedDateOfDelivery ? implausibleDelivery(input.unborn.expectedDateOfDelivery, today) : null;
  if (delivery)
    throw invalid("The expected date of delivery is not possible for a pregnancy now.", [{ path: "unborn.expectedDateOfDelivery", message: delivery }]);
  const carerInFuture = input.carers.findIndex((c) => c.dateOfBirth && c.dateOfBirth > today);
  if (carerInFuture >= 0) throw invalid("A carer's date of birth is in the future.", [{ path: `carers.${carerInFuture}.dateOfBirth`, message: "must not be in the future" }]);

  const details: EnquiryDetails = {
    child: input.child
      ? {
          givenNames: input.child.givenNames,
          familyName: input.child.familyName,
          aliases: input.child.aliases,
          dateOfBirth: input.child.dateOfBirth ?? null,
          sex: input.child.sex ?? null,
          nhsNumber: input.child.nhsNumber ?? null,
        }
      : null,
    unborn: input.unborn ? { mother: { ...input.unborn.mother, dateOfBirth: input.unborn.mother.dateOfBirth ?? null }, expectedDateOfDelivery: input.unborn.expectedDateOfDelivery ?? null } : null,
    addresses: withCurrent(input.addresses),
    carers: input.carers,
    reason: input.reason,
  };
  const person = enquiredChild(details);
  const currentKeys = details.addresses
    .filter((a) => a.current)
    .map((a) => addressKey(a.line1, a.postcode ?? null, a.line2))
    .filter((k): k is string => k !== null);
  const others = await otherAuthorities(ctx, authority.code, input.alsoAuthorities, details.addresses);
  const agency = ctx.principal.agency ? await agencyByName(ctx.store.read, ctx.principal.agency) : null;
  const recognised = !!agency?.recognisedNumbers.includes(input.callbackNumber);

  // Matching and the answer only read the register, so they happen first, in one read-only
  // snapshot for each authority (a record cannot be half old, half new) and outside the write
  // transaction: no lock is held while the child is matched, and against Turso a replica can
  // serve them. The answer is the register as it stands at receipt; the claim refreshes it.
  // Someone already at the fishing limit is refused without matching anything: the count is
  // taken again inside the write transaction, where it decides.
  const cost = enquiryCost(enquirySubject(details));
  const atLimit = !fitsWithin(await recentEnquiryCost(ctx.store.read, ctx, limit, nowDate), cost, limit);
  const checks = await Promise.all(
    (atLimit ? [] : [authority, ...others.checked]).map(async (a) => {
      const outOfHours = !isWithinOfficeHours(a.officeHours, nowDate, await closuresOf(ctx.store.read, a.code));
      const prepared = await ctx.store.snapshot(async (db) => {
        const match = await matchChild(db, a.code, person, today);
        return { match, ...(await prepareAnswer(db, match, a.code)) };
      });
      return { authority: a, outOfHours, ...prepared };
    }),
  );

  const result = await ctx.store.write(async (tx) => {
    const limited = await overEnquiryLimit(tx, ctx, authority.code, limit, nowDate, cost);
    // Committed without the enquiry: only the designated manager's alert is written.
    if (limited) return { limited };
    // The window moved on between the first count and this one: start again, now under the limit.
    if (!checks.length) return { retry: true as const };
    await upsertEnquirer(tx, ctx, now);
    // Every refusal is audited: an authority of the deployment that does not take this profession.
    for (const r of others.refused)
      await recordAudit(tx, ctx, { action: "POST /v1/enquiries", target: { type: "authority", id: r.authority }, authority: r.authority, outcome: "refused_403", detail: { profession, agency: ctx.principal.agency, checkedWith: authority.code } });
    const created: { id: string; reference: string; authority: string; outOfHours: boolean }[] = [];
    for (const c of checks) {
      const id = newId();
      const code = c.authority.code;
      // The answer as this run of the write makes it: a write may be run again (db/store.ts),
      // and must not carry what a rolled-back run found.
      const answer = { ...c.answer, earlierEnquiries: [...c.answer.earlierEnquiries] };
      const row: EnquiryValues = {
        id,
        authority: code,
        enquirerId: ctx.principal.userId,
        enquirerName: ctx.principal.name,
        enquirerProfession: profession,
        enquirerAgency: ctx.principal.agency,
        agencyId: agency?.id ?? null,
        receivedAt: now,
        outOfHours: c.outOfHours,
        status: "awaiting_callback",
        details,
        callbackNumber: input.callbackNumber,
        callbackNumberRecognised: recognised,
        dateOfBirth: details.child?.dateOfBirth ?? null,
        match: c.match.match,
        childId: c.match.childId,
        answer: answer,
        groupId: created[0]?.id ?? null,
        namesChecked: cost,
      };
      const [inserted] = await insertEnquiry(tx).all(row);
      const next = inserted!.referenceNo;
      await execute(tx, INSERT_NAMES, [JSON.stringify(nameVariants(person).map((v) => [newId(), id, code, v.given.join(" "), v.family]))]);
      const keyed = details.addresses.flatMap((a) => {
        const key = addressKey(a.line1, a.postcode ?? null, a.line2);
        return key ? [[newId(), id, key, a.current ? 1 : 0]] : [];
      });
      if (keyed.length) await execute(tx, INSERT_ADDRESS_KEYS, [JSON.stringify(keyed)]);
      // Who is told is settled inside the transaction: a case opened or a child placed at the
      // address while the enquiry was being matched must not go unnotified.
      await notify(tx, now, { id, authority: code, referenceNo: next }, [...(c.record ? await openCaseWorkerNow(tx, c.record.id) : []), ...(await sameAddressWorkers(tx, code, currentKeys, c.match.childId))]);
      // The unknown-child rule reads earlier enquiries inside the transaction: enquiries are
      // serialised, so two arriving together still end in one consideration.
      if (c.match.match === "not_known") {
        answer.earlierEnquiries = await applyUnknownChildRules(tx, now, { id, authority: code, person });
        if (answer.earlierEnquiries.length)
          await tx.update(enquiries).set({ answer: answer }).where(sql`${enquiries.id} = ${id}`);
      }
      // Seed 000 §2.153: a child living with a person who may pose a risk reaches the designated manager.
      await linkEnquiryToRisk(tx, now, { id, authority: code, reference: formatReference(next), presentAddressKeys: currentKeys, carers: details.carers });
      await recordAudit(tx, ctx, {
        action: "enquiry.submit",
        target: { type: "enquiry", id },
        authority: code,
        detail: { reference: formatReference(next), match: c.match.match, ...(created[0] ? { group: created[0].reference } : {}) },
      });
      created.push({ id, reference: formatReference(next), authority: code, outOfHours: c.outOfHours });
    }
    const [first, ...rest] = created;
    return {
      created: {
        id: first!.id,
        reference: first!.reference,
        status: "awaiting_callback" as const,
        receivedAt: now,
        outOfHours: first!.outOfHours,
        callbackNumberRecognised: recognised,
        alsoCheckedWith: rest.map(({ id, reference, authority }) => ({ authority, id, reference })),
        notCheckedWith: others.refused,
      },
    };
  });
  if ("retry" in result) return submitEnquiry(ctx, input, limit);
  if ("limited" in result && result.limited) {
    const { count, names, retryAfterSeconds } = result.limited;
    const made = names === count ? `${count} enquiries` : `${count} enquiries testing ${names} names (each other name counts)`;
    const asked = cost > 1 ? ` This enquiry tests ${cost} names.` : "";
    throw new AppError("rate_limited", `You have made ${made} in the last ${limit.windowMinutes} minutes; this service tests at most ${limit.max} names for one person in that time.${asked} Try again in ${retryAfterSeconds} seconds, or call the First Response service on ${formatForPeople(authority.firstResponsePhone)}.`, {
      retryAfterSeconds,
      target: { type: "authority", id: authority.code },
      auditDetail: { profession: ctx.principal.profession, agency: ctx.principal.agency, enquiriesInWindow: count, namesInWindow: names, namesAsked: cost },
    });
  }
  return result.created!;
}
