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

/**
 * A short form made by cutting the name (the way most English short forms are made, and the
 * lists miss some): the start of it, "Alex", "Chris", "Max" for Alexander, Christopher,
 * Maximilian; or the end of it, "Xander", "Tina", "Bella" for Alexander, Christina, Isabella.
 * Only ever evidence for a candidate beside the surname and the date of birth.
 */
export function cutShortForm(a: string, b: string): boolean {
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  if (short.length < 3 || long.length < short.length + 2) return false;
  return long.startsWith(short) || (short.length >= 4 && long.endsWith(short));
}

export type NameLevel = "exact" | "alias" | "nickname" | "slip" | "middle" | "phonetic" | "partial" | "none";

/** Ordered best first; the numbers are the evidence each level carries (see match.ts). */
export const NAME_WEIGHT: Record<NameLevel, number> = {
  exact: 1,
  alias: 0.95,
  nickname: 0.8,
  slip: 0.8,
  middle: 0.75,
  partial: 0.75,
  phonetic: 0.7,
  none: 0,
};

function compareVariant(a: NameVariant, b: NameVariant): NameLevel {
  const sameFamily = a.family === b.family;
  const given = givenCompatible(a.given, b.given);
  // The same given names written as one word or two ("Abdul Rahman", "Abdulrahman"; "De Andre").
  const sameGivenJoined = a.given.length > 0 && a.given.join("") === b.given.join("");
  if (sameFamily && (given || sameGivenJoined)) return a.alias || b.alias ? "alias" : "exact";
  const firstA = a.given[0] ?? "";
  const firstB = b.given[0] ?? "";
  if (sameFamily && (isNicknameOf(firstA, firstB) || cutShortForm(firstA, firstB))) return "nickname";
  if (sameFamily && oneSlip(firstA, firstB)) return "slip";
  if (given && oneSlip(a.family, b.family)) return "slip";
  // Known by a middle name, or a different middle name given: "Louise" for "Amy Louise".
  if (sameFamily && a.given.some((w) => b.given.includes(w))) return "middle";
  // One part of a double-barrelled name: "Smith" for "Smith-Jones".
  if (given && (a.familyWords.every((w) => b.familyWords.includes(w)) || b.familyWords.every((w) => a.familyWords.includes(w))))
    return "partial";
  if (given && soundsAlike(a.family, b.family)) return "phonetic";
  // A given name spelt another way that sounds the same: "Mohammed" for "Muhammad".
  if (sameFamily && firstA.length >= 3 && firstB.length >= 3 && soundsAlike(firstA, firstB)) return "phonetic";
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

export type DobLevel =
  | "exact"
  | "swapped"
  | "year_digit"
  | "year_one_out"
  | "transposed"
  | "day_one_out"
  | "month_one_out"
  | "missing"
  | "different";
export const DOB_WEIGHT: Record<DobLevel, number> = {
  exact: 1,
  swapped: 0.8,
  year_digit: 0.75,
  year_one_out: 0.75,
  transposed: 0.75,
  day_one_out: 0.7,
  month_one_out: 0.7,
  missing: 0.7,
  different: 0,
};
/** The dates of birth a slip of the pen or keyboard makes: with a clean name, each is a near miss. */
export const DOB_SLIPS: ReadonlySet<DobLevel> = new Set([
  "swapped",
  "year_digit",
  "year_one_out",
  "transposed",
  "day_one_out",
  "month_one_out",
]);

const differingDigits = (a: string, b: string) => [...a].filter((ch, i) => ch !== b[i]).length;

/**
 * How an enquirer's date of birth differs from the register's, when it is a slip: day and month
 * swapped (03/02 for 02/03); one digit of the year wrong; the year one out, across a decade too
 * (2009 for 2010); two neighbouring digits of the day, month or year transposed (21 for 12, 2001
 * for 2010); the day or the month one out. Anything else is `different`.
 */
export function compareDob(enquiry: string | null, child: string | null): DobLevel {
  if (!enquiry || !child) return "missing";
  if (enquiry === child) return "exact";
  const [ey, em, ed] = enquiry.split("-") as [string, string, string];
  const [cy, cm, cd] = child.split("-") as [string, string, string];
  if (ey === cy && em === cd && ed === cm) return "swapped";
  if (em === cm && ed === cd) {
    if (differingDigits(ey, cy) === 1) return "year_digit";
    if (Math.abs(Number(ey) - Number(cy)) === 1) return "year_one_out";
    if (adjacentSwap(ey, cy)) return "transposed";
    return "different";
  }
  if (ey === cy && em === cm) {
    if (adjacentSwap(ed, cd)) return "transposed";
    if (Math.abs(Number(ed) - Number(cd)) === 1) return "day_one_out";
    return "different";
  }
  if (ey === cy && ed === cd) {
    if (adjacentSwap(em, cm)) return "transposed";
    if (Math.abs(Number(em) - Number(cm)) === 1) return "month_one_out";
  }
  // The day either side across the end of a month or year (31 January for 1 February).
  if (Math.abs(Date.parse(enquiry) - Date.parse(child)) === DAY_MS) return "day_one_out";
  return "different";
}

const DAY_MS = 86_400_000;
const dayAfter = (d: string, n: number) => new Date(Date.parse(d) + n * DAY_MS).toISOString().slice(0, 10);

const pad = (n: number) => String(n).padStart(2, "0");
/** A real calendar date written yyyy-mm-dd (2023-02-29 is not). */
function isDate(s: string): boolean {
  const [y, m, d] = s.split("-").map(Number) as [number, number, number];
  if (!(m >= 1 && m <= 12 && d >= 1)) return false;
  return d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
}
const swapAt = (s: string, i: number) => s.slice(0, i) + s[i + 1] + s[i] + s.slice(i + 2);

/**
 * The dates a near miss could have been typed as, for finding candidates by date of birth:
 * every date `compareDob` calls a slip of this one (and the date itself), that is a real date,
 * not after today and not before 1990.
 */
export function dobVariants(dob: string, today: string): string[] {
  const [y, m, d] = dob.split("-") as [string, string, string];
  const out = new Set<string>([dob]);
  const add = (year: string, month: string, day: string) => {
    const candidate = `${year}-${month}-${day}`;
    if (year >= "1990" && candidate <= today && isDate(candidate)) out.add(candidate);
  };
  add(y, d, m);
  for (let i = 0; i < 4; i++) for (let digit = 0; digit <= 9; digit++) add(`${y.slice(0, i)}${digit}${y.slice(i + 1)}`, m, d);
  add(String(Number(y) - 1), m, d);
  add(String(Number(y) + 1), m, d);
  for (let i = 0; i < 3; i++) add(swapAt(y, i), m, d);
  add(y, m, swapAt(d, 0));
  add(y, swapAt(m, 0), d);
  for (const next of [dayAfter(dob, -1), dayAfter(dob, 1)]) add(next.slice(0, 4), next.slice(5, 7), next.slice(8, 10));
  add(y, pad(Number(m) - 1), d);
  add(y, pad(Number(m) + 1), d);
  return [...out];
}
