/**
 * Enquiries about a generated register, of named kinds: clean ones the register should
 * answer, near misses a duty officer should settle, and children who are not on it at all,
 * including the unlisted twin or sibling of a listed child, where wrong answers come from.
 */
import { doubleMetaphone } from "double-metaphone";
import { nicknamesOf } from "../../src/matching/nicknames";
import { familyNameKey, nameKey } from "../../src/register/names";
import type { loadFirstNames } from "./names";
import type { ChildLine } from "./register";
import { addDays, type Rng } from "./rng";

export const CLEAN = [
  "clean_exact",
  "clean_case_spacing",
  "clean_hyphen_apostrophe",
  "clean_diacritics",
  "clean_missing_middle",
  "clean_extra_middle",
  "clean_alias",
] as const;
export const NEAR = [
  "near_typo",
  "near_nickname",
  "near_short_form",
  "near_day_month_swapped",
  "near_year_digit",
  "near_year_across_decade",
  "near_dob_transposed",
  "near_day_one_out",
  "near_month_one_out",
  "near_sounds_alike",
  "near_no_dob_address",
  "near_wrong_year_address",
] as const;
export const UNLISTED = ["unlisted_new", "unlisted_same_name", "unlisted_twin", "unlisted_sibling"] as const;
export type Kind = (typeof CLEAN)[number] | (typeof NEAR)[number] | (typeof UNLISTED)[number];

export interface EnquirySpec {
  kind: Kind;
  /** The listed child it is about (externalId), or null for a child not on the register. */
  about: string | null;
  child: { givenNames: string; familyName: string; aliases: { givenNames?: string; familyName?: string }[]; dateOfBirth: string | null };
  addresses: { line1: string; postcode: string; current: boolean }[];
}

/** A key that says whether a person is on the register under that exact name and date of birth. */
export const personKey = (given: string, family: string, dob: string | null) =>
  `${nameKey(given).split(" ")[0]}|${familyNameKey(family)}|${dob ?? ""}`;

const stripMarks = (s: string) => s.normalize("NFKD").replace(/\p{M}+/gu, "");
const LETTERS = "abcdefghijklmnopqrstuvwxyz";

function typo(rng: Rng, word: string): string | null {
  if (word.length < 4) return null;
  const w = word.toLowerCase();
  const i = rng.int(1, w.length - 2);
  const kind = rng.int(0, 3);
  let out: string;
  if (kind === 0) out = w.slice(0, i) + rng.pick([...LETTERS]) + w.slice(i + 1);
  else if (kind === 1) out = w.slice(0, i) + w.slice(i + 1);
  else if (kind === 2) out = w.slice(0, i) + rng.pick([...LETTERS]) + w.slice(i);
  else out = w.slice(0, i) + w[i + 1] + w[i] + w.slice(i + 2);
  return out === w ? null : out[0]!.toUpperCase() + out.slice(1);
}

const SOUND_RULES: [RegExp, string][] = [
  [/ph/, "f"],
  [/f/, "ph"],
  [/ck/, "k"],
  [/c(?=[aou])/, "k"],
  [/k/, "c"],
  [/y/, "i"],
  [/i/, "y"],
  [/ll/, "l"],
  [/([^l])l([^l]|$)/, "$1ll$2"],
  [/tt/, "t"],
  [/ss/, "s"],
  [/nn/, "n"],
  [/mm/, "m"],
  [/rr/, "r"],
  [/e$/, ""],
  [/([^e])$/, "$1e"],
  [/s$/, "es"],
  [/son$/, "sen"],
  [/z/, "s"],
  [/ou/, "ow"],
  [/ey$/, "y"],
  [/ie$/, "y"],
];

function soundAlike(rng: Rng, family: string): string | null {
  const w = family.toLowerCase();
  const codes = doubleMetaphone(w);
  const tries = [...SOUND_RULES].sort(() => rng.next() - 0.5);
  for (const [re, to] of tries) {
    const out = w.replace(re, to);
    if (out !== w && out.length >= 3 && doubleMetaphone(out).some((c) => codes.includes(c))) return out[0]!.toUpperCase() + out.slice(1);
  }
  return null;
}

function mangleCase(rng: Rng, s: string): string {
  const cased = rng.pick([s.toUpperCase(), s.toLowerCase(), s]);
  return `${rng.chance(0.5) ? " " : ""}${cased.replace(/ /g, rng.pick([" ", "  "]))}${rng.pick(["", ".", " "])}`;
}

/** A real calendar date, yyyy-mm-dd. */
const realDate = (s: string) => {
  const [y, m, d] = s.split("-").map(Number) as [number, number, number];
  return m >= 1 && m <= 12 && d >= 1 && d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
};
const swapPair = (s: string, i: number) => s.slice(0, i) + s[i + 1] + s[i] + s.slice(i + 2);
const pad2 = (n: number) => String(n).padStart(2, "0");

const current = (c: ChildLine) => c.addresses.find((a) => a.to === null) ?? c.addresses[0]!;
const addr = (a: { line1: string; postcode: string }, isCurrent: boolean) => ({ line1: a.line1, postcode: a.postcode, current: isCurrent });

/** One enquiry of a kind about a listed child, or null if the child does not lend itself to that kind. */
export function listedEnquiry(
  rng: Rng,
  kind: Kind,
  c: ChildLine,
  firstNames: ReturnType<typeof loadFirstNames>,
  asOf: string,
): EnquirySpec | null {
  const given = c.givenNames.split(" ");
  const base = {
    kind,
    about: c.externalId,
    child: { givenNames: c.givenNames, familyName: c.familyName, aliases: [], dateOfBirth: c.dateOfBirth },
    addresses: rng.chance(0.5) ? [addr(current(c), true)] : [],
  } satisfies EnquirySpec;
  const year = Number(c.dateOfBirth.slice(0, 4));
  const sex = c.sex === "female" ? "F" : "M";
  switch (kind) {
    case "clean_exact":
      return base;
    case "clean_case_spacing":
      return { ...base, child: { ...base.child, givenNames: mangleCase(rng, c.givenNames), familyName: mangleCase(rng, c.familyName) } };
    case "clean_hyphen_apostrophe":
      if (!/[-' ]/.test(c.familyName)) return null;
      return {
        ...base,
        child: {
          ...base.child,
          familyName: c.familyName
            .replace(/-/g, rng.pick([" ", ""]))
            .replace(/'/g, rng.pick(["", " "]))
            .replace(/ /g, rng.pick(["-", " "])),
        },
      };
    case "clean_diacritics":
      if (stripMarks(c.givenNames) === c.givenNames) return null;
      return { ...base, child: { ...base.child, givenNames: stripMarks(c.givenNames) } };
    case "clean_missing_middle":
      if (given.length < 2) return null;
      return { ...base, child: { ...base.child, givenNames: given[0]! } };
    case "clean_extra_middle": {
      if (given.length > 1) return null;
      const extra = firstNames(year, sex).pick(rng);
      return extra === given[0] ? null : { ...base, child: { ...base.child, givenNames: `${given[0]} ${extra}` } };
    }
    case "clean_alias": {
      const alias = c.aliases.find((a) => a.familyName);
      return alias ? { ...base, child: { ...base.child, familyName: alias.familyName! } } : null;
    }
    case "near_typo": {
      const onGiven = rng.chance(0.5);
      const changed = typo(rng, onGiven ? given[0]! : c.familyName);
      if (!changed || /[^A-Za-z]/.test(onGiven ? given[0]! : c.familyName)) return null;
      return {
        ...base,
        child: { ...base.child, ...(onGiven ? { givenNames: [changed, ...given.slice(1)].join(" ") } : { familyName: changed }) },
      };
    }
    case "near_nickname": {
      const nicks = nicknamesOf(nameKey(given[0]!)).filter((n) => n.length >= 2);
      if (!nicks.length) return null;
      const n = rng.pick(nicks);
      return { ...base, child: { ...base.child, givenNames: n[0]!.toUpperCase() + n.slice(1) } };
    }
    case "near_day_month_swapped": {
      const [y, m, d] = c.dateOfBirth.split("-");
      if (m === d || Number(d) > 12) return null;
      const swapped = `${y}-${d}-${m}`;
      return swapped > asOf ? null : { ...base, child: { ...base.child, dateOfBirth: swapped } };
    }
    case "near_year_digit": {
      const y = Number(c.dateOfBirth.slice(0, 4)) + rng.pick([-1, 1]);
      const changed = `${y}${c.dateOfBirth.slice(4)}`;
      if (changed > asOf || String(y).slice(0, 3) !== c.dateOfBirth.slice(0, 3)) return null;
      return { ...base, child: { ...base.child, dateOfBirth: changed } };
    }
    case "near_short_form": {
      // A name cut short, as people shorten names the lists do not have: its start or its end.
      const g = given[0]!;
      if (g.length < 6 || /[^A-Za-z]/.test(g)) return null;
      const cut = rng.chance(0.6) ? g.slice(0, rng.int(3, g.length - 3)) : g.slice(rng.int(2, g.length - 4));
      return { ...base, child: { ...base.child, givenNames: cut[0]!.toUpperCase() + cut.slice(1).toLowerCase() } };
    }
    case "near_year_across_decade": {
      // The year one out where the decade changes too (2009 for 2010): two digits differ.
      const y = c.dateOfBirth.slice(0, 4);
      const changed = y.endsWith("0") ? String(Number(y) - 1) : y.endsWith("9") ? String(Number(y) + 1) : null;
      const dob = changed && `${changed}${c.dateOfBirth.slice(4)}`;
      return dob && dob <= asOf && realDate(dob) ? { ...base, child: { ...base.child, dateOfBirth: dob } } : null;
    }
    case "near_dob_transposed": {
      const [y, m, d] = c.dateOfBirth.split("-") as [string, string, string];
      const options = [
        `${y}-${m}-${swapPair(d, 0)}`,
        `${y}-${swapPair(m, 0)}-${d}`,
        ...[0, 1, 2].map((i) => `${swapPair(y, i)}-${m}-${d}`),
      ].filter((x) => x !== c.dateOfBirth && x <= asOf && x >= "1990" && realDate(x));
      return options.length ? { ...base, child: { ...base.child, dateOfBirth: rng.pick(options) } } : null;
    }
    case "near_day_one_out":
    case "near_month_one_out": {
      const [y, m, d] = c.dateOfBirth.split("-") as [string, string, string];
      const step = rng.pick([-1, 1]);
      const dob = kind === "near_day_one_out" ? `${y}-${m}-${pad2(Number(d) + step)}` : `${y}-${pad2(Number(m) + step)}-${d}`;
      return dob <= asOf && realDate(dob) ? { ...base, child: { ...base.child, dateOfBirth: dob } } : null;
    }
    case "near_wrong_year_address": {
      // The right name at the child's address, with a date of birth whose year is wrong beyond a slip.
      const y = Number(c.dateOfBirth.slice(0, 4)) + rng.pick([-1, 1]) * rng.int(2, 5);
      const dob = `${y}${c.dateOfBirth.slice(4)}`;
      if (dob > asOf || !realDate(dob) || [...String(y)].filter((ch, i) => ch !== c.dateOfBirth[i]).length < 2) return null;
      return { ...base, child: { ...base.child, dateOfBirth: dob }, addresses: [addr(current(c), true)] };
    }
    case "near_sounds_alike": {
      const changed = soundAlike(rng, c.familyName);
      return changed ? { ...base, child: { ...base.child, familyName: changed } } : null;
    }
    case "near_no_dob_address": {
      const previous = c.addresses.find((a) => a.to !== null);
      const usePrevious = previous && rng.chance(0.3);
      return {
        ...base,
        child: { ...base.child, dateOfBirth: null },
        addresses: [addr(usePrevious ? previous! : current(c), !usePrevious)],
      };
    }
    default:
      return null;
  }
}

/** An enquiry about a child who is not on the register, built around a listed child where the kind says so. */
export function unlistedEnquiry(
  rng: Rng,
  kind: Kind,
  c: ChildLine,
  stranger: ChildLine,
  firstNames: ReturnType<typeof loadFirstNames>,
  asOf: string,
  listed: Set<string>,
): EnquirySpec | null {
  const newGiven = (year: number, sex: "M" | "F", not: string) => {
    const n = firstNames(year, sex).pick(rng);
    return n === not ? null : n;
  };
  let spec: EnquirySpec | null = null;
  switch (kind) {
    case "unlisted_new":
      spec = {
        kind,
        about: null,
        child: { givenNames: stranger.givenNames, familyName: stranger.familyName, aliases: [], dateOfBirth: stranger.dateOfBirth },
        addresses: rng.chance(0.5) ? [addr(current(stranger), true)] : [],
      };
      break;
    case "unlisted_same_name":
      spec = {
        kind,
        about: null,
        child: { givenNames: c.givenNames, familyName: c.familyName, aliases: [], dateOfBirth: stranger.dateOfBirth },
        addresses: rng.chance(0.5) ? [addr(current(stranger), true)] : [],
      };
      break;
    case "unlisted_twin": {
      const g = newGiven(Number(c.dateOfBirth.slice(0, 4)), c.sex === "female" ? "F" : "M", c.givenNames.split(" ")[0]!);
      if (g)
        spec = {
          kind,
          about: null,
          child: { givenNames: g, familyName: c.familyName, aliases: [], dateOfBirth: c.dateOfBirth },
          addresses: [addr(current(c), true)],
        };
      break;
    }
    case "unlisted_sibling": {
      const dob = addDays(c.dateOfBirth, rng.pick([-1, 1]) * rng.int(400, 5 * 365));
      const g = newGiven(Number(dob.slice(0, 4)), rng.chance(0.5) ? "F" : "M", c.givenNames.split(" ")[0]!);
      if (g && dob <= asOf)
        spec = {
          kind,
          about: null,
          child: { givenNames: g, familyName: c.familyName, aliases: [], dateOfBirth: dob },
          addresses: [addr(current(c), true)],
        };
      break;
    }
  }
  if (!spec || listed.has(personKey(spec.child.givenNames, spec.child.familyName, spec.child.dateOfBirth))) return null;
  return spec;
}
