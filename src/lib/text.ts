/**
 * Folds a name or address for comparison: lower case, diacritics and punctuation removed,
 * hyphens and apostrophes as spaces or nothing, spaces collapsed. "Zoë O'Brien-Smith" →
 * "zoe obrien smith".
 */
export function fold(s: string): string {
  return (
    s
      // Apostrophes and the marks typed for them, before NFKD turns the acute accent into a space.
      .replace(/[’'`ʼʻ‘′´]/g, "")
      .normalize("NFKD")
      .replace(/\p{M}+/gu, "")
      .toLowerCase()
      .replace(/[łđøıßæœþðħŧ]/g, (ch) => LETTERS_WITHOUT_DECOMPOSITION[ch]!)
      .replace(/[^\p{L}\p{N}]+/gu, " ")
      .trim()
  );
}

/**
 * Letters that NFKD does not take apart, written as people type them on an English keyboard
 * ("Łukasz" as "Lukasz", "Işıl Kılıç" as "Isil Kilic", "Đorđević" as "Dordevic"). Without this
 * two records the same after folding were not rivals, and a clean match was missed. Stored keys
 * were brought in line by migration 0019.
 */
const LETTERS_WITHOUT_DECOMPOSITION: Record<string, string> = {
  ł: "l",
  đ: "d",
  ø: "o",
  ı: "i",
  ß: "ss",
  æ: "ae",
  œ: "oe",
  þ: "th",
  ð: "d",
  ħ: "h",
  ŧ: "t",
};

/** For agency names: case and surrounding or repeated spaces ignored (api.md). */
export const agencyKey = (name: string) => name.trim().replace(/\s+/g, " ").toLowerCase();

/**
 * Characters no name, address or note should hold: C0/C1 controls other than tab and line
 * breaks, bidirectional overrides and isolates (they make "Amy" display as something else
 * on a duty officer's screen), the byte-order mark, and unpaired UTF-16 surrogates (which
 * the database would silently turn into U+FFFD, so what is stored differs from what was sent).
 */
const FORBIDDEN_TEXT =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what this refuses.
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\uFEFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * The first string (or key) in a parsed value holding a forbidden character, as a field error.
 * It runs on every import line, so the path is kept on one stack and joined only on a find.
 */
export function findForbiddenText(value: unknown): { path: string; message: string } | null {
  const path: string[] = [];
  const at = () => path.join(".") || "(body)";
  const walk = (v: unknown): { path: string; message: string } | null => {
    if (typeof v === "string")
      return FORBIDDEN_TEXT.test(v)
        ? { path: at(), message: "contains a control, direction-override or unpaired surrogate character" }
        : null;
    if (!v || typeof v !== "object") return null;
    for (const [k, child] of Array.isArray(v) ? v.entries() : Object.entries(v)) {
      if (typeof k === "string" && FORBIDDEN_TEXT.test(k)) return { path: at(), message: "has a field name with a forbidden character" };
      path.push(String(k));
      const bad = walk(child);
      path.pop();
      if (bad) return bad;
    }
    return null;
  };
  return walk(value);
}
