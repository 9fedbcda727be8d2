import { familyNameKey, nameKey } from "../register/names";
import type { NameVariant } from "./compare";

export interface NamedPerson {
  givenNames: string;
  familyName: string;
  aliases: { givenNames?: string | null; familyName?: string | null }[];
}

/**
 * Given names as words, a hyphenated name kept one word: "Abdul-Rahman" is one name, the same
 * as "Abdulrahman", and not "Abdul" with a middle name (which made "Abdul Jones" a clean match
 * for it, and "Olivia-Marie" one for "Olivia"). The family name keeps its parts (familyWords).
 */
export const givenWords = (given: string) =>
  nameKey(given.replace(/(\p{L})[-‐‑–](?=\p{L})/gu, "$1"))
    .split(" ")
    .filter(Boolean);

const variant = (given: string, family: string, alias: boolean): NameVariant => ({
  given: givenWords(given),
  family: familyNameKey(family),
  familyWords: nameKey(family).split(" ").filter(Boolean),
  alias,
});

/**
 * A person's names as the matcher compares them: the recorded name, then each alias, an
 * alias that gives only a family name (a step-parent's surname) keeping the given names.
 */
export function nameVariants(p: NamedPerson): NameVariant[] {
  return [
    variant(p.givenNames, p.familyName, false),
    ...p.aliases.map((a) => variant(a.givenNames || p.givenNames, a.familyName || p.familyName, true)),
  ];
}

/** Every family-name key a person goes by, for finding candidates by surname. */
export const familyKeys = (p: NamedPerson) => [...new Set(nameVariants(p).map((v) => v.family))];
