import { readFileSync } from "node:fs";
import { fakerEN_GB } from "@faker-js/faker";
import type { Rng } from "./rng";

const data = (file: string) => readFileSync(new URL(`./data/${file}`, import.meta.url), "utf8");

/** A weighted choice in O(log n): cumulative weights and a binary search. */
export class Weighted<T> {
  private cum: number[] = [];
  private total = 0;
  constructor(
    readonly items: T[],
    weights: number[],
  ) {
    for (const w of weights) {
      this.total += w;
      this.cum.push(this.total);
    }
  }
  pick(rng: Rng): T {
    const x = rng.next() * this.total;
    let lo = 0;
    let hi = this.cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cum[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    return this.items[lo]!;
  }
}

/** First names by birth year and sex, weighted by ONS counts (2008-2020; nearer years stand in outside). */
export function loadFirstNames() {
  const byKey = new Map<string, { names: string[]; counts: number[] }>();
  for (const line of data("ew-first-names.csv").split("\n").slice(1)) {
    const [year, sex, name, count] = line.split(",");
    if (!name) continue;
    const key = `${year}${sex}`;
    const e = byKey.get(key) ?? byKey.set(key, { names: [], counts: [] }).get(key)!;
    e.names.push(name);
    e.counts.push(Number(count));
  }
  const tables = new Map<string, Weighted<string>>();
  for (const [k, v] of byKey) tables.set(k, new Weighted(v.names, v.counts));
  return (year: number, sex: "M" | "F") => tables.get(`${Math.min(2020, Math.max(2008, year))}${sex}`)!;
}

/**
 * Surnames: the 500 commonest with their population shares, Scotland's top 100, and a long
 * tail from Faker so that not every child shares one of a few hundred names.
 */
export function loadSurnames(): Weighted<string> {
  const names: string[] = [];
  const weights: number[] = [];
  for (const line of data("surnames-top500.csv").split("\n").slice(1)) {
    const [name, pct] = line.split(",");
    if (name) {
      names.push(name);
      weights.push(Number(pct));
    }
  }
  const known = new Set(names.map((n) => n.toLowerCase()));
  for (const line of data("surnames-scotland-top100.csv").split("\n").slice(1)) {
    const name = line.split(",")[1];
    if (name && !known.has(name.toLowerCase())) {
      names.push(name);
      weights.push(0.03);
      known.add(name.toLowerCase());
    }
  }
  const tail = new Set<string>();
  fakerEN_GB.seed(7);
  for (let i = 0; i < 4000 && tail.size < 1500; i++) {
    const n = fakerEN_GB.person.lastName();
    if (!known.has(n.toLowerCase()) && /^[A-Za-z' -]+$/.test(n)) tail.add(n);
  }
  // The top names cover about 40 % of people; the tail carries the rest between it.
  const topShare = weights.reduce((a, b) => a + b, 0);
  for (const n of tail) {
    names.push(n);
    weights.push(((100 - topShare) * 0.6) / tail.size);
  }
  return new Weighted(names, weights);
}

/** Names written with diacritics in some families (the ONS tables are ASCII). */
export const DIACRITIC: Record<string, string> = {
  Zoe: "Zoë",
  Chloe: "Chloë",
  Renee: "Renée",
  Jose: "José",
  Sian: "Siân",
  Sean: "Seán",
  Anais: "Anaïs",
  Joel: "Joël",
  Ines: "Inès",
  Noemie: "Noémie",
  Eloise: "Éloïse",
  Aoife: "Aoife",
  Andre: "André",
  Rene: "René",
};
