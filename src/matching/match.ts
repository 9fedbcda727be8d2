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
import { and, eq, inArray, or } from "drizzle-orm";
import { childAddresses, childAliases, children } from "../db/schema";
import type { Queryable } from "../db/store";
import { displayName } from "../register/names";
import { compareDob, compareNames, dobVariants, DOB_WEIGHT, NAME_WEIGHT, type DobLevel, type NameLevel } from "./compare";
import { familyKeys, nameVariants, type NamedPerson } from "./variants";

export interface EnquiredChild extends NamedPerson {
  dateOfBirth: string | null;
  nhsNumber: string | null;
  /** Address keys of every address the enquirer gave (see register/address.ts). */
  addressKeys: string[];
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
}

function assess(
  enquiry: EnquiredChild,
  child: { id: string; givenNames: string; familyName: string; dateOfBirth: string | null; nhsNumber: string | null },
  aliases: NamedPerson["aliases"],
  addressKeys: Set<string>,
): Assessed {
  const name: NameLevel = compareNames(nameVariants(enquiry), nameVariants({ ...child, aliases }));
  const dob: DobLevel = compareDob(enquiry.dateOfBirth, child.dateOfBirth);
  const atAddress = enquiry.addressKeys.some((k) => addressKeys.has(k));
  const nhsConflict = !!enquiry.nhsNumber && !!child.nhsNumber && enquiry.nhsNumber !== child.nhsNumber;
  const nhsSame = !!enquiry.nhsNumber && enquiry.nhsNumber === child.nhsNumber;
  const nameClean = name === "exact" || name === "alias";
  const clean = nameClean && dob === "exact" && !nhsConflict;
  const near =
    !clean &&
    ((nameClean && (dob === "exact" || dob === "swapped" || dob === "year_digit")) ||
      (name !== "none" && dob === "exact") ||
      (nameClean && atAddress) ||
      (nhsSame && (dob === "exact" || name !== "none")));
  const dobWeight = dob === "different" ? (atAddress || nhsSame ? 0.5 : 0) : DOB_WEIGHT[dob];
  let score = NAME_WEIGHT[name] * dobWeight;
  if (nhsSame) score = Math.max(score, 0.6);
  if (nhsConflict) score *= 0.8;
  if (!atAddress && enquiry.addressKeys.length && !clean) score *= 0.95;
  return {
    childId: child.id,
    name: displayName(child.givenNames, child.familyName),
    dateOfBirth: child.dateOfBirth,
    score: Math.round(score * 100) / 100,
    reasons: [`name:${name}`, `dob:${dob}`, ...(atAddress ? ["address"] : []), ...(nhsSame ? ["nhs_number"] : []), ...(nhsConflict ? ["nhs_number_differs"] : [])],
    clean,
    near,
  };
}

/**
 * Finds the children an enquiry could be about, by strict keys that fail in different
 * ways: the date of birth (for any name slip), a near date with the same surname, an
 * address the enquirer gave, the NHS number.
 */
async function candidateIds(q: Queryable, authority: string, e: EnquiredChild, today: string): Promise<string[]> {
  const ids = new Set<string>();
  const surnames = familyKeys(e);
  const queries: Promise<{ id: string }[]>[] = [];
  if (e.dateOfBirth) {
    queries.push(q.select({ id: children.id }).from(children).where(and(eq(children.authority, authority), eq(children.dateOfBirth, e.dateOfBirth))));
    const near = dobVariants(e.dateOfBirth, today).filter((d) => d !== e.dateOfBirth);
    if (near.length) {
      queries.push(
        q.select({ id: children.id }).from(children).where(and(eq(children.authority, authority), inArray(children.familyKey, surnames), inArray(children.dateOfBirth, near))),
        q
          .select({ id: children.id })
          .from(childAliases)
          .innerJoin(children, eq(children.id, childAliases.childId))
          .where(and(inArray(childAliases.familyKey, surnames), eq(children.authority, authority), inArray(children.dateOfBirth, near))),
      );
    }
  }
  if (e.addressKeys.length)
    queries.push(
      q
        .select({ id: children.id })
        .from(childAddresses)
        .innerJoin(children, eq(children.id, childAddresses.childId))
        .where(and(inArray(childAddresses.addressKey, e.addressKeys), eq(children.authority, authority))),
    );
  if (e.nhsNumber) queries.push(q.select({ id: children.id }).from(children).where(and(eq(children.nhsNumber, e.nhsNumber), eq(children.authority, authority))));
  for (const rows of await Promise.all(queries)) for (const r of rows) ids.add(r.id);
  return [...ids];
}

export async function matchChild(q: Queryable, authority: string, enquiry: EnquiredChild, today: string): Promise<MatchResult> {
  const ids = await candidateIds(q, authority, enquiry, today);
  if (!ids.length) return { match: "not_known", childId: null, candidates: [] };
  const [rows, aliasRows, addressRows] = await Promise.all([
    q
      .select({ id: children.id, givenNames: children.givenNames, familyName: children.familyName, dateOfBirth: children.dateOfBirth, nhsNumber: children.nhsNumber })
      .from(children)
      .where(inArray(children.id, ids)),
    q.select().from(childAliases).where(inArray(childAliases.childId, ids)),
    q.select({ childId: childAddresses.childId, key: childAddresses.addressKey }).from(childAddresses).where(inArray(childAddresses.childId, ids)),
  ]);
  const assessed = rows.map((c) =>
    assess(
      enquiry,
      c,
      aliasRows.filter((a) => a.childId === c.id),
      new Set(addressRows.filter((a) => a.childId === c.id && a.key).map((a) => a.key!)),
    ),
  );
  const strip = ({ clean: _c, near: _n, ...c }: Assessed): Candidate => c;
  const byScore = (a: Candidate, b: Candidate) => b.score - a.score || a.name.localeCompare(b.name);
  const clean = assessed.filter((a) => a.clean);
  if (clean.length === 1) return { match: "known", childId: clean[0]!.childId, candidates: [] };
  // Two children matching equally well (twins of one name) is for a person to settle, never a guess.
  if (clean.length > 1) return { match: "possible", childId: null, candidates: clean.map(strip).sort(byScore) };
  const near = assessed.filter((a) => a.near);
  if (near.length) return { match: "possible", childId: null, candidates: near.map(strip).sort(byScore).slice(0, 10) };
  return { match: "not_known", childId: null, candidates: [] };
}

/**
 * Whether two enquiries about children not known are about the same child, by the
 * register's own clean-match rule (domain.md §5): the same name and date of birth; or,
 * where one gave no date of birth, the same name and an address in common.
 */
export function sameChildByRegisterRules(a: EnquiredChild, b: EnquiredChild): boolean {
  const name = compareNames(nameVariants(a), nameVariants(b));
  if (name !== "exact" && name !== "alias") return false;
  if (a.dateOfBirth && b.dateOfBirth) return a.dateOfBirth === b.dateOfBirth;
  return a.addressKeys.some((k) => b.addressKeys.includes(k));
}
