import { fix, isValid, toNormalised } from "postcode";
import { fold } from "../lib/text";

/** "st162lh", " ST16  2LH " → "ST16 2LH"; null when it is not a UK postcode. */
export function normalisePostcode(input: string): string | null {
  const squeezed = input.replace(/[^A-Za-z0-9]/g, "").toUpperCase();
  if (squeezed.length < 5 || squeezed.length > 7) return null;
  const spaced = `${squeezed.slice(0, -3)} ${squeezed.slice(-3)}`;
  if (isValid(spaced)) return toNormalised(spaced);
  // Repairs O/0 and I/1 slips ("ST16 2LH" typed "STI6 2LH") only where the result is valid.
  const fixed = fix(spaced);
  return isValid(fixed) ? toNormalised(fixed) : null;
}

const ABBREVIATIONS: Record<string, string> = {
  st: "street",
  rd: "road",
  ave: "avenue",
  av: "avenue",
  ln: "lane",
  dr: "drive",
  cl: "close",
  ct: "court",
  cres: "crescent",
  gdns: "gardens",
  pl: "place",
  sq: "square",
  ter: "terrace",
  terr: "terrace",
  apartment: "flat",
  apt: "flat",
  unit: "unit",
  no: "",
  number: "",
};

/**
 * The house number or name on the first line, normalised (domain.md, "the same address"):
 * the numbers if there are any ("Flat 3, 12 High St" → "flat 3 12"), else the folded line
 * with common abbreviations expanded ("Rose Cottage" → "rose cottage").
 */
export function premise(line1: string, line2?: string | null): string {
  const words = (part: string) =>
    fold(part)
      .split(" ")
      .map((w) => ABBREVIATIONS[w] ?? w)
      .filter(Boolean);
  let all = words(line1);
  // "Flat 3" alone on the first line: the building is on the second.
  if (line2 && all.length <= 2 && (all[0] === "flat" || all[0] === "unit")) all = [...all, ...words(line2)];
  // A flat's own identifier counts even without a digit: Flat A and Flat B are two homes.
  const unitAt = all.findIndex((w) => w === "flat" || w === "unit");
  const unit = unitAt >= 0 && all[unitAt + 1] ? [all[unitAt]!, all[unitAt + 1]!] : [];
  const numbers = all.filter((w, i) => /\d/.test(w) && !(unitAt >= 0 && i === unitAt + 1));
  // A house name is what comes before the first comma: "Rose Cottage, Mill Lane".
  if (numbers.length === 0 && unit.length === 0) return words(line1.split(",")[0] ?? "").join(" ");
  return [...unit, ...numbers].join(" ");
}

/** Equal keys are "the same address": same postcode and same house number or name. */
export function addressKey(line1: string, postcode: string | null, line2?: string | null): string | null {
  const pc = postcode ? normalisePostcode(postcode) : null;
  const p = premise(line1, line2);
  if (!pc || !p) return null;
  return `${pc.replace(" ", "")}|${p}`;
}
