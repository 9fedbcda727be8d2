/**
 * Folds a name or address for comparison: lower case, diacritics and punctuation removed,
 * hyphens and apostrophes as spaces or nothing, spaces collapsed. "Zoë O'Brien-Smith" →
 * "zoe obrien smith".
 */
export function fold(s: string): string {
  return s
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/[’'`]/g, "")
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

/** For agency names: case and surrounding or repeated spaces ignored (api.md). */
export const agencyKey = (name: string) => name.trim().replace(/\s+/g, " ").toLowerCase();
