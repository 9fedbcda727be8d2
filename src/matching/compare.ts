import { doubleMetaphone } from "double-metaphone";
import { distance } from "fastest-levenshtein";
import { isNicknameOf } from "./nicknames";

/** A name as the matcher sees it: folded given-name words and the family name run together. */
export interface NameVariant {
  given: string[];
  family: string;
  familyWords: string[];
  alias: boolean;
}

/** Two neighbouring letters swapped: "Amleia" for "Amelia". */
export function adjacentSwap(a: string, b: string): boolean {
  if (a.length !== b.length || a === b) return false;
  let i = 0;
  while (a[i] === b[i]) i++;
  return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
}

/** A single slip: one letter changed, added, dropped or two swapped, in a name long enough for it to mean something. */
export const oneSlip = (a: string, b: string) =>
  a !== b && Math.min(a.length, b.length) >= 3 && Math.abs(a.length - b.length) <= 1 && (distance(a, b) === 1 || adjacentSwap(a, b));

const metaphoneCache = new Map<string, string[]>();
function codes(s: string): string[] {
  let c = metaphoneCache.get(s);
  if (!c) {
    c = [...new Set(doubleMetaphone(s))].filter(Boolean);
    if (metaphoneCache.size > 50_000) metaphoneCache.clear();
    metaphoneCache.set(s, c);
  }
  return c;
}
/** Sounds the same (Smith/Smyth). Never enough alone to disclose: it only ever makes a candidate. */
export const soundsAlike = (a: string, b: string) => a !== b && codes(a).some((x) => codes(b).includes(x));

/** Same first given name, and one list of given names within the other: a missing or extra middle name. */
export function givenCompatible(a: string[], b: string[]): boolean {
  if (!a.length || !b.length || a[0] !== b[0]) return false;
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  return short.every((w) => long.includes(w));
}

export type NameLevel = "exact" | "alias" | "nickname" | "slip" | "middle" | "phonetic" | "partial" | "none";

/** Ordered best first; the numbers are the evidence each level carries (see match.ts). */
export const NAME_WEIGHT: Record<NameLevel, number> = { exact: 1, alias: 0.95, nickname: 0.8, slip: 0.8, middle: 0.75, partial: 0.75, phonetic: 0.7, none: 0 };

function compareVariant(a: NameVariant, b: NameVariant): NameLevel {
  const sameFamily = a.family === b.family;
  const given = givenCompatible(a.given, b.given);
  if (sameFamily && given) return a.alias || b.alias ? "alias" : "exact";
  const firstA = a.given[0] ?? "";
  const firstB = b.given[0] ?? "";
  if (sameFamily && isNicknameOf(firstA, firstB)) return "nickname";
  if (sameFamily && oneSlip(firstA, firstB)) return "slip";
  if (given && oneSlip(a.family, b.family)) return "slip";
  // Known by a middle name, or a different middle name given: "Louise" for "Amy Louise".
  if (sameFamily && a.given.some((w) => b.given.includes(w))) return "middle";
  // One part of a double-barrelled name: "Smith" for "Smith-Jones".
  if (given && (a.familyWords.every((w) => b.familyWords.includes(w)) || b.familyWords.every((w) => a.familyWords.includes(w)))) return "partial";
  if (given && soundsAlike(a.family, b.family)) return "phonetic";
  return "none";
}

/** The best level over every pairing of the two sides' names and aliases. */
export function compareNames(a: NameVariant[], b: NameVariant[]): NameLevel {
  let best: NameLevel = "none";
  for (const x of a)
    for (const y of b) {
      const level = compareVariant(x, y);
      if (NAME_WEIGHT[level] > NAME_WEIGHT[best]) best = level;
      if (best === "exact") return best;
    }
  return best;
}

export type DobLevel = "exact" | "swapped" | "year_digit" | "missing" | "different";
export const DOB_WEIGHT: Record<DobLevel, number> = { exact: 1, swapped: 0.8, year_digit: 0.75, missing: 0.7, different: 0 };

/** Day and month swapped (03/02 for 02/03), or one digit of the year wrong. */
export function compareDob(enquiry: string | null, child: string | null): DobLevel {
  if (!enquiry || !child) return "missing";
  if (enquiry === child) return "exact";
  const [ey, em, ed] = enquiry.split("-");
  const [cy, cm, cd] = child.split("-");
  if (ey === cy && em === cd && ed === cm) return "swapped";
  if (em === cm && ed === cd && [...ey!].filter((ch, i) => ch !== cy![i]).length === 1) return "year_digit";
  return "different";
}

/** The dates a near miss could have been typed as, for finding candidates by date of birth. */
export function dobVariants(dob: string, today: string): string[] {
  const [y, m, d] = dob.split("-") as [string, string, string];
  const out = new Set<string>([dob]);
  if (m !== d && Number(d) <= 12) out.add(`${y}-${d}-${m}`);
  for (let i = 0; i < 4; i++)
    for (let digit = 0; digit <= 9; digit++) {
      const year = `${y.slice(0, i)}${digit}${y.slice(i + 1)}`;
      const candidate = `${year}-${m}-${d}`;
      if (year >= "1990" && candidate <= today) out.add(candidate);
    }
  return [...out];
}
