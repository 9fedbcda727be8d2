/**
 * Matching an enquiry against the register (domain.md, "Matching"). The one interface the
 * rest of the service uses is `matchChild`; `sameChildByRegisterRules` compares two
 * enquiries the same way.
 *
 * A wrong match discloses another child's record, a missed one leaves a child unseen, so:
 * only a clean match (same name after normalising, or an alias, and the same date of birth)
 * with no equal rival is `known`; near misses are `possible` for a duty officer to settle
 * on the call-back; nothing else is disclosed.
 */
import { and, eq, or, sql } from "drizzle-orm";
import { inJson, prepared } from "../db/prepared";
import { childAddresses, childAliases, childPeople, childPersonNames, children } from "../db/schema";
import type { Queryable } from "../db/store";
import { handoverChildren } from "../moves/pending";
import { displayName, nameKey } from "../register/names";
import { compareDob, compareNames, DOB_SLIPS, DOB_WEIGHT, type DobLevel, dobVariants, NAME_WEIGHT, type NameLevel } from "./compare";
import { familyKeys, givenWords, type NamedPerson, nameVariants } from "./variants";

/** A parent or carer the enquirer named: evidence for a candidate, never enough to answer. */
export interface EnquiredCarer {
  givenNames: string;
  familyName: string;
  dateOfBirth: string | null;
}

export interface EnquiredChild extends NamedPerson {
  dateOfBirth: string | null;
  nhsNumber: string | null;
  /** Address keys of every address the enquirer gave (see register/address.ts). */
  addressKeys: string[];
  /** The parents and carers the enquirer named with both names (the Pan Dorset note). */
  carers?: EnquiredCarer[];
  /**
   * An unborn child (seed 000 §2.151): the names and date of birth above are the expectant
   * mother's, matched against the mothers of unborn children's records.
   */
  unborn?: boolean;
}

/** A name a person on a record goes by, as child_person_names keys it. */
interface PersonName {
  childId: string;
  personId: string;
  givenKey: string;
  familyKey: string;
  dateOfBirth: string | null;
}

/**
 * Whether one of the enquirer's carers is one of the record's people: the same name (a clean
 * name: after normalising, or a missing middle name) and, where both give one, the same date of
 * birth. Evidence for the candidate only.
 */
function carerMatches(carers: EnquiredCarer[], people: Pick<PersonName, "givenKey" | "familyKey" | "dateOfBirth">[]): boolean {
  for (const c of carers) {
    const [mine] = nameVariants({ givenNames: c.givenNames, familyName: c.familyName, aliases: [] });
    for (const p of people) {
      if (mine!.family !== p.familyKey) continue;
      const level = compareNames(
        [mine!],
        [{ given: p.givenKey.split(" ").filter(Boolean), family: p.familyKey, familyWords: [p.familyKey], alias: false }],
      );
      if (level !== "exact") continue;
      if (c.dateOfBirth && p.dateOfBirth && c.dateOfBirth !== p.dateOfBirth) continue;
      return true;
    }
  }
  return false;
}

export interface Candidate {
  childId: string;
  name: string;
  dateOfBirth: string | null;
  score: number;
  /** Why it is a candidate, for the duty officer: e.g. ["name:nickname", "dob:exact"]. */
  reasons: string[];
}

export interface MatchResult {
  match: "known" | "possible" | "not_known";
  childId: string | null;
  candidates: Candidate[];
}

interface Assessed extends Candidate {
  clean: boolean;
  near: boolean;
  nameLevel: NameLevel;
  nhsSame: boolean;
  atAddress: boolean;
}

/** The same test for a person as the record shows them, for the duty officer's comparison. */
export function personMatchesCarer(
  carers: EnquiredCarer[],
  person: {
    givenNames: string;
    familyName: string;
    aliases: { givenNames: string | null; familyName: string | null }[];
    dateOfBirth: string | null;
  },
): boolean {
  const names = nameVariants(person).map((v) => ({ givenKey: v.given.join(" "), familyKey: v.family, dateOfBirth: person.dateOfBirth }));
  return carerMatches(carers, names);
}

function assess(
  enquiry: EnquiredChild,
  child: { id: string; givenNames: string; familyName: string; dateOfBirth: string | null; nhsNumber: string | null },
  aliases: NamedPerson["aliases"],
  atAddress: boolean,
  carer: boolean,
): Assessed {
  const name: NameLevel = compareNames(nameVariants(enquiry), nameVariants({ ...child, aliases }));
  const dob: DobLevel = compareDob(enquiry.dateOfBirth, child.dateOfBirth);
  const nhsConflict = !!enquiry.nhsNumber && !!child.nhsNumber && enquiry.nhsNumber !== child.nhsNumber;
  const nhsSame = !!enquiry.nhsNumber && enquiry.nhsNumber === child.nhsNumber;
  const nameClean = name === "exact" || name === "alias";
  const clean = nameClean && dob === "exact" && !nhsConflict;
  const near =
    !clean &&
    ((nameClean && (dob === "exact" || DOB_SLIPS.has(dob))) ||
      (name !== "none" && dob === "exact") ||
      (nameClean && atAddress) ||
      (nhsSame && (dob === "exact" || name !== "none")) ||
      // A carer the record knows, beside a name like the child's and a date that does not contradict it.
      (carer && name !== "none" && dob !== "different"));
  const dobWeight = dob === "different" ? (atAddress || nhsSame ? 0.5 : 0) : DOB_WEIGHT[dob];
  let score = NAME_WEIGHT[name] * dobWeight;
  if (nhsSame) score = Math.max(score, 0.6);
  if (nhsConflict) score *= 0.8;
  if (!atAddress && enquiry.addressKeys.length && !clean) score *= 0.95;
  if (carer && !clean) score = Math.min(0.99, Math.max(score, NAME_WEIGHT[name] * 0.7) + 0.1);
  return {
    childId: child.id,
    name: displayName(child.givenNames, child.familyName),
    dateOfBirth: child.dateOfBirth,
    score: Math.round(score * 100) / 100,
    reasons: [
      `name:${name}`,
      `dob:${dob}`,
      ...(atAddress ? ["address"] : []),
      ...(carer ? ["carer"] : []),
      ...(nhsSame ? ["nhs_number"] : []),
      ...(nhsConflict ? ["nhs_number_differs"] : []),
    ],
    clean,
    near,
    nameLevel: name,
    nhsSame,
    atAddress,
  };
}

const candidateColumns = {
  id: children.id,
  givenNames: children.givenNames,
  familyName: children.familyName,
  dateOfBirth: children.dateOfBirth,
  nhsNumber: children.nhsNumber,
};
type Row = { id: string; givenNames: string; familyName: string; dateOfBirth: string | null; nhsNumber: string | null };

/**
 * Finds the children an enquiry could be about by strict keys that fail in different
 * ways, each an index lookup (never a scan of the register): the date of birth (for any name
 * slip); a near date with the same surname or alias surname; an address the enquirer gave;
 * the NHS number. Returns the candidates and which of them live or lived at a given address.
 */
async function candidates(q: Queryable, authority: string, e: EnquiredChild, today: string) {
  const surnames = JSON.stringify(familyKeys(e));
  const byDob: Promise<Row[]>[] = [];
  let aliasIds: Promise<{ id: string }[]> = Promise.resolve([]);
  if (e.dateOfBirth) {
    // Every near miss on the right date keeps either the surname or the first given name
    // (a slip, nickname or middle name changes one, never both), so only those rows are read.
    // Stored keys split a hyphenated given name ("mary jane"), the matcher keeps it whole: both are looked up.
    const firsts = [
      ...new Set(
        [e, ...e.aliases]
          .flatMap((n) => [givenWords(n.givenNames || e.givenNames)[0], nameKey(n.givenNames || e.givenNames).split(" ")[0]])
          .filter((g): g is string => !!g),
      ),
    ];
    byDob.push(onTheDate(q).all({ authority, dob: e.dateOfBirth, surnames, firsts: JSON.stringify(firsts) }));
    const near = dobVariants(e.dateOfBirth, today).filter((d) => d !== e.dateOfBirth);
    if (near.length) {
      byDob.push(nearTheDate(q).all({ authority, surnames, dates: JSON.stringify(near) }));
      aliasIds = aliasesNear(q).all({ surnames, dates: JSON.stringify([e.dateOfBirth, ...near]) });
    }
  }
  const atAddress = e.addressKeys.length
    ? atTheAddresses(q)
        .all({ keys: JSON.stringify(e.addressKeys) })
        .then((rs) => rs.filter((r) => r.authority === authority))
    : Promise.resolve([] as Row[]);
  // Looked up by the selective key alone and scoped here: with the authority in the WHERE clause,
  // SQLite may pick the authority index and walk every child of a one-authority register.
  const byNhs = e.nhsNumber
    ? byNhsNumber(q)
        .all({ nhs: e.nhsNumber })
        .then((rs) => rs.filter((r) => r.authority === authority))
    : Promise.resolve([] as Row[]);
  const carers = e.carers ?? [];
  // Children whose records name one of the enquirer's carers: how a child with no date of birth
  // given, at an address the register does not have, is still found.
  const byCarer: Promise<{ childId: string }[]> = carers.length
    ? peopleNamed(q).all({
        names: JSON.stringify(
          carers.map((c) => {
            const [v] = nameVariants({ ...c, aliases: [] });
            return [v!.family, v!.given[0] ?? ""];
          }),
        ),
      })
    : Promise.resolve([]);
  const [dobRows, aliasRows, addressRows, nhsRows, handovers, carerRows] = await Promise.all([
    Promise.all(byDob),
    aliasIds,
    atAddress,
    byNhs,
    handoverChildren(q, authority),
    byCarer,
  ]);
  // Children being handed over to this authority, and those it handed over (it can still say
  // they were on its plan), are its candidates too.
  const pending = new Set(handovers);
  const rows = new Map<string, Row>();
  for (const r of [...dobRows.flat(), ...addressRows, ...nhsRows]) rows.set(r.id, r);
  // A child being handed over to this authority by another of the deployment is this authority's to answer about too.
  const missing = [...new Set([...aliasRows.map((a) => a.id), ...pending, ...carerRows.map((c) => c.childId)])].filter(
    (id) => !rows.has(id),
  );
  if (missing.length)
    for (const r of await childrenById(q).all({ ids: JSON.stringify(missing) }))
      if (r.authority === authority || pending.has(r.id)) rows.set(r.id, r);
  return { rows: [...rows.values()], atAddress: new Set(addressRows.map((r) => r.id)) };
}

// The matcher's statements, built once (db/prepared.ts); each list goes as one JSON parameter.
const onTheDate = prepared((q) =>
  q
    .select(candidateColumns)
    .from(children)
    .where(
      and(
        eq(children.authority, sql.placeholder("authority")),
        eq(children.dateOfBirth, sql.placeholder("dob")),
        or(
          inJson(children.familyKey, "surnames"),
          sql`EXISTS (SELECT 1 FROM json_each(${sql.placeholder("firsts")}) AS f WHERE (${children.givenKey} || ' ') LIKE f.value || ' %')`,
        ),
      ),
    ),
);
const nearTheDate = prepared((q) =>
  q
    .select(candidateColumns)
    .from(children)
    .where(
      and(
        eq(children.authority, sql.placeholder("authority")),
        inJson(children.familyKey, "surnames"),
        inJson(children.dateOfBirth, "dates"),
      ),
    ),
);
const aliasesNear = prepared((q) =>
  q
    .select({ id: childAliases.childId })
    .from(childAliases)
    .where(and(inJson(childAliases.familyKey, "surnames"), inJson(childAliases.dateOfBirth, "dates"))),
);
// Keyed on the addresses alone and scoped after, as the NHS number is: given the authority too,
// the planner may start from the authority's children.
const atTheAddresses = prepared((q) =>
  q
    .select({ ...candidateColumns, authority: children.authority })
    .from(childAddresses)
    .innerJoin(children, eq(children.id, childAddresses.childId))
    .where(inJson(childAddresses.addressKey, "keys")),
);
const byNhsNumber = prepared((q) =>
  q
    .select({ ...candidateColumns, authority: children.authority })
    .from(children)
    .where(eq(children.nhsNumber, sql.placeholder("nhs"))),
);
const childrenById = prepared((q) =>
  q
    .select({ ...candidateColumns, authority: children.authority })
    .from(children)
    .where(inJson(children.id, "ids")),
);
// The record's people of one of the names given ([family key, given key] pairs), capped: a
// common name is evidence for the candidates found otherwise, not a trawl.
const peopleNamed = prepared((q) =>
  q
    .selectDistinct({ childId: childPersonNames.childId })
    .from(childPersonNames)
    // The family name exactly, the first given name as the first word (a middle name may be missing).
    .where(
      sql`EXISTS (SELECT 1 FROM json_each(${sql.placeholder("names")}) AS n WHERE ${childPersonNames.familyKey} = n.value ->> 0 AND (${childPersonNames.givenKey} || ' ') LIKE (n.value ->> 1) || ' %')`,
    )
    .limit(50),
);
const peopleOfChildren = prepared((q) =>
  q
    .select({
      childId: childPersonNames.childId,
      personId: childPersonNames.personId,
      givenKey: childPersonNames.givenKey,
      familyKey: childPersonNames.familyKey,
      dateOfBirth: childPersonNames.dateOfBirth,
    })
    .from(childPersonNames)
    .where(inJson(childPersonNames.childId, "ids")),
);
const aliasesOfChildren = prepared((q) =>
  q
    .select({ childId: childAliases.childId, givenNames: childAliases.givenNames, familyName: childAliases.familyName })
    .from(childAliases)
    .where(inJson(childAliases.childId, "ids")),
);

// An unborn child's record is found through its mother: each name she goes by, keyed, with her
// date of birth (child_person_names), on records that have an expected date of delivery and no
// date of birth. A born child's record keeps its mother; a new pregnancy is not that child.
const unbornRecord = sql`EXISTS (SELECT 1 FROM ${children} WHERE ${children.id} = ${childPersonNames.childId} AND ${children.authority} = ${sql.placeholder("authority")} AND ${children.expectedDateOfDelivery} IS NOT NULL AND ${children.dateOfBirth} IS NULL)`;
const mothersNear = prepared((q) =>
  q
    .selectDistinct({ childId: childPersonNames.childId })
    .from(childPersonNames)
    .where(
      and(
        eq(childPersonNames.relationship, "mother"),
        inJson(childPersonNames.familyKey, "surnames"),
        inJson(childPersonNames.dateOfBirth, "dates"),
        unbornRecord,
      ),
    ),
);
const mothersOnTheDate = prepared((q) =>
  q
    .selectDistinct({ childId: childPersonNames.childId })
    .from(childPersonNames)
    .where(
      and(
        eq(childPersonNames.relationship, "mother"),
        eq(childPersonNames.dateOfBirth, sql.placeholder("dob")),
        sql`EXISTS (SELECT 1 FROM json_each(${sql.placeholder("firsts")}) AS f WHERE (${childPersonNames.givenKey} || ' ') LIKE f.value || ' %')`,
        unbornRecord,
      ),
    ),
);
const mothersNamed = prepared((q) =>
  q
    .selectDistinct({ childId: childPersonNames.childId })
    .from(childPersonNames)
    .where(and(eq(childPersonNames.relationship, "mother"), inJson(childPersonNames.familyKey, "surnames"), unbornRecord))
    .limit(200),
);
const unbornAtTheAddresses = prepared((q) =>
  q
    .selectDistinct({ childId: childAddresses.childId, authority: children.authority })
    .from(childAddresses)
    .innerJoin(children, eq(children.id, childAddresses.childId))
    .where(
      and(
        inJson(childAddresses.addressKey, "keys"),
        sql`${children.expectedDateOfDelivery} IS NOT NULL AND ${children.dateOfBirth} IS NULL`,
      ),
    ),
);
const unbornRecords = prepared((q) =>
  q
    .select({
      id: children.id,
      authority: children.authority,
      givenNames: children.givenNames,
      familyName: children.familyName,
      dateOfBirth: children.dateOfBirth,
    })
    .from(children)
    .where(and(inJson(children.id, "ids"), sql`${children.expectedDateOfDelivery} IS NOT NULL AND ${children.dateOfBirth} IS NULL`)),
);
const mothersOf = prepared((q) =>
  q
    .select({
      childId: childPeople.childId,
      givenNames: childPeople.givenNames,
      familyName: childPeople.familyName,
      aliases: childPeople.aliases,
      dateOfBirth: childPeople.dateOfBirth,
    })
    .from(childPeople)
    .where(and(inJson(childPeople.childId, "ids"), eq(childPeople.relationship, "mother"))),
);

/** An enquiry about an unborn child: the mother's details against the mothers on unborn children's records. */
async function matchUnborn(q: Queryable, authority: string, e: EnquiredChild, today: string): Promise<MatchResult> {
  const surnames = JSON.stringify(familyKeys(e));
  const firsts = JSON.stringify([...new Set(nameVariants(e).flatMap((v) => (v.given[0] ? [v.given[0]] : [])))]);
  const found = await Promise.all([
    e.dateOfBirth
      ? mothersNear(q).all({ authority, surnames, dates: JSON.stringify(dobVariants(e.dateOfBirth, today)) })
      : mothersNamed(q).all({ authority, surnames }),
    e.dateOfBirth ? mothersOnTheDate(q).all({ authority, dob: e.dateOfBirth, firsts }) : Promise.resolve([]),
    e.addressKeys.length
      ? unbornAtTheAddresses(q)
          .all({ keys: JSON.stringify(e.addressKeys) })
          .then((rs) => rs.filter((r) => r.authority === authority))
      : Promise.resolve([]),
  ]);
  const atAddress = new Set(found[2].map((r) => r.childId));
  const ids = JSON.stringify([...new Set(found.flat().map((r) => r.childId))]);
  const [records, mothers] = await Promise.all([unbornRecords(q).all({ ids }), mothersOf(q).all({ ids })]);
  const assessed: Assessed[] = [];
  for (const record of records) {
    if (record.authority !== authority) continue;
    // The record's best-matching mother (a record normally has one) stands for it.
    const own = mothers.filter((m) => m.childId === record.id);
    const best = own
      .map((m) =>
        assess(
          e,
          { id: record.id, givenNames: m.givenNames, familyName: m.familyName, dateOfBirth: m.dateOfBirth, nhsNumber: null },
          m.aliases,
          atAddress.has(record.id),
          false,
        ),
      )
      .sort((a, b) => b.score - a.score || Number(b.clean) - Number(a.clean))[0];
    if (best)
      assessed.push({
        ...best,
        name: displayName(record.givenNames, record.familyName),
        dateOfBirth: record.dateOfBirth,
        reasons: ["mother", ...best.reasons],
      });
  }
  return decide(assessed);
}

export async function matchChild(q: Queryable, authority: string, enquiry: EnquiredChild, today: string): Promise<MatchResult> {
  if (enquiry.unborn) return matchUnborn(q, authority, enquiry, today);
  const { rows, atAddress } = await candidates(q, authority, enquiry, today);
  if (!rows.length) return { match: "not_known", childId: null, candidates: [] };
  const ids = JSON.stringify(rows.map((r) => r.id));
  const carers = enquiry.carers ?? [];
  const [aliasRows, peopleRows] = await Promise.all([
    aliasesOfChildren(q).all({ ids }),
    carers.length ? peopleOfChildren(q).all({ ids }) : Promise.resolve([] as PersonName[]),
  ]);
  const aliasesOf = new Map<string, NamedPerson["aliases"]>();
  for (const a of aliasRows) aliasesOf.set(a.childId, [...(aliasesOf.get(a.childId) ?? []), a]);
  const peopleOf = new Map<string, PersonName[]>();
  for (const p of peopleRows) peopleOf.set(p.childId, [...(peopleOf.get(p.childId) ?? []), p]);
  const assessed = rows.map((c) =>
    assess(enquiry, c, aliasesOf.get(c.id) ?? [], atAddress.has(c.id), carerMatches(carers, peopleOf.get(c.id) ?? [])),
  );
  return decide(assessed);
}

/** The register's product decision (domain.md, "Matching") over the assessed candidates. */
function decide(assessed: Assessed[]): MatchResult {
  const strip = ({ clean: _c, near: _n, nameLevel: _level, nhsSame: _nhs, atAddress: _at, ...c }: Assessed): Candidate => c;
  const byScore = (a: Candidate, b: Candidate) => b.score - a.score || a.name.localeCompare(b.name);
  const clean = assessed.filter((a) => a.clean);
  if (clean.length === 1) {
    // Evidence the enquirer gave that points at another child (its NHS number, or its address
    // when the clean match is not there) makes it a question for a person, never an answer.
    const only = clean[0]!;
    const pointsElsewhere = (a: Assessed) => a !== only && ((a.nhsSame && !only.nhsSame) || (a.atAddress && !only.atAddress && a.near));
    const rivals = assessed.filter(pointsElsewhere);
    if (!rivals.length) return { match: "known", childId: only.childId, candidates: [] };
    return { match: "possible", childId: null, candidates: [only, ...rivals].map(strip).sort(byScore).slice(0, 10) };
  }
  // Two children matching equally well (twins of one name) is for a person to settle, never a guess.
  if (clean.length > 1) return { match: "possible", childId: null, candidates: clean.map(strip).sort(byScore) };
  const near = assessed.filter((a) => a.near);
  if (near.length) return { match: "possible", childId: null, candidates: near.map(strip).sort(byScore).slice(0, 10) };
  return { match: "not_known", childId: null, candidates: [] };
}

/** Two different NHS numbers are two children, whatever their names and dates say. */
const nhsDiffer = (a: EnquiredChild, b: EnquiredChild) => !!a.nhsNumber && !!b.nhsNumber && a.nhsNumber !== b.nhsNumber;

/**
 * Whether two enquiries about children not known are about the same child, by the
 * register's own clean-match rule (domain.md §5): the same name and date of birth; or,
 * where one gave no date of birth, the same name and an address in common.
 */
export function sameChildByRegisterRules(a: EnquiredChild, b: EnquiredChild): boolean {
  // An unborn child, known by its mother's details, is never the same as a child of her name.
  if (!!a.unborn !== !!b.unborn || nhsDiffer(a, b)) return false;
  const name = compareNames(nameVariants(a), nameVariants(b));
  if (name !== "exact" && name !== "alias") return false;
  if (a.dateOfBirth && b.dateOfBirth) return a.dateOfBirth === b.dateOfBirth;
  return a.addressKeys.some((k) => b.addressKeys.includes(k));
}

/**
 * Whether two enquiries about children not known may be about the same child by the near-miss
 * rules (a slip of the pen: "Nena" and "Nina" born the same day, or the same name with the day
 * and month swapped): linked for the designated manager to judge, never taken as the same.
 */
export function possiblySameChild(a: EnquiredChild, b: EnquiredChild): boolean {
  if (!!a.unborn !== !!b.unborn || !a.dateOfBirth || !b.dateOfBirth || nhsDiffer(a, b)) return false;
  const name = compareNames(nameVariants(a), nameVariants(b));
  const dob = compareDob(a.dateOfBirth, b.dateOfBirth);
  if (name === "exact" || name === "alias") return DOB_SLIPS.has(dob);
  return name !== "none" && dob === "exact";
}
