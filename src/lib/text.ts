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

/**
 * Characters no name, address or note should hold: C0/C1 controls other than tab and line
 * breaks, bidirectional overrides and isolates (they make "Amy" display as something else
 * on a duty officer's screen), the byte-order mark, and unpaired UTF-16 surrogates (which
 * the database would silently turn into U+FFFD, so what is stored differs from what was sent).
 */
const FORBIDDEN_TEXT = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\uFEFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The first string (or key) in a parsed value holding a forbidden character, as a field error. */
export function findForbiddenText(value: unknown, path: string[] = []): { path: string; message: string } | null {
  const here = () => path.join(".") || "(body)";
  if (typeof value === "string")
    return FORBIDDEN_TEXT.test(value) ? { path: here(), message: "contains a control, direction-override or unpaired surrogate character" } : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const bad = findForbiddenText(value[i], [...path, String(i)]);
      if (bad) return bad;
    }
    return null;
  }
  if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      if (FORBIDDEN_TEXT.test(k)) return { path: here(), message: "has a field name with a forbidden character" };
      const bad = findForbiddenText(v, [...path, k]);
      if (bad) return bad;
    }
  }
  return null;
}
