import { fold } from "../lib/text";

/**
 * Name keys as the register stores them for matching and search: folded (case, spacing,
 * punctuation, diacritics) with hyphens and apostrophes dropped, so that "O'Brien-Smith",
 * "OBrien Smith" and "obrien-smith" share one key.
 */
export const nameKey = (s: string): string => fold(s.replace(/[-‐‑–]/g, " ")).replace(/\s+/g, " ");

/** The family name key without spaces: "Obrien Smith" and "O'Brien-Smith" both give "obriensmith". */
export const familyNameKey = (s: string): string => nameKey(s).replace(/ /g, "");

/** `name` as the answer shows it: the given names then the family name, as recorded. */
export const displayName = (givenNames: string, familyName: string) => `${givenNames} ${familyName}`.replace(/\s+/g, " ").trim();
