/**
 * Which authorities of the deployment an address belongs to (the Pan Dorset note: one
 * register service, several authorities, an out-of-hours team acting for all of them). Each
 * authority lists the postcode areas (`BH`) and districts (`BH1`) it covers; the most
 * specific match wins, so `BH1` held by one authority beats `BH` held by another.
 */
import { and, eq, isNotNull, ne } from "drizzle-orm";
import { recordAudit } from "../audit/audit.service";
import { authorities } from "../db/schema";
import type { Queryable } from "../db/store";
import type { Ctx } from "../domain/ctx";
import { AppError } from "../lib/errors";
import { managedAuthority } from "./authorities.service";

/** The authority whose areas cover a postcode ("BH1 1AA"), if any. */
export function authorityForPostcode(postcode: string, areas: { code: string; prefixes: string[] }[]): string | null {
  // The inward code is always the last three characters, with or without the space.
  const compact = postcode.replace(/\s+/g, "").toUpperCase();
  const outward = compact.length > 3 ? compact.slice(0, -3) : compact;
  const area = /^[A-Z]+/.exec(outward)?.[0] ?? "";
  let best: { code: string; score: number } | null = null;
  for (const a of areas)
    for (const p of a.prefixes) {
      const score = p === outward ? 2 : p === area ? 1 : 0;
      if (score && (!best || score > best.score)) best = { code: a.code, score };
    }
  return best?.code ?? null;
}

export async function postcodeAreasOfDeployment(q: Queryable) {
  const rows = await q
    .select({ code: authorities.code, prefixes: authorities.postcodeAreas })
    .from(authorities)
    .where(isNotNull(authorities.postcodeAreas));
  return rows.map((r) => ({ code: r.code, prefixes: r.prefixes ?? [] }));
}

const areaOf = (prefix: string) => /^[A-Z]+/.exec(prefix)?.[0] ?? "";

/**
 * Two prefixes overlap when some postcode falls under both: the same prefix, or an area and a
 * district inside it (`ST` and `ST16`). `B` and `BH1` do not: the area is all the letters.
 */
export function prefixesOverlap(a: string, b: string): boolean {
  if (areaOf(a) !== areaOf(b)) return false;
  return a === b || a === areaOf(a) || b === areaOf(b);
}

/**
 * A prefix belongs to one authority: an enquiry with a postcode there is copied to whoever
 * lists it, so a manager listing another authority's postcodes would be sent that
 * authority's enquiries. Checked inside the write transaction, so two managers claiming the
 * same prefix at once cannot both succeed.
 */
export async function setAreas(ctx: Ctx, code: string, prefixes: string[]) {
  return ctx.store.write(async (tx) => {
    const current = await managedAuthority(tx, ctx, code);
    const unique = [...new Set(prefixes)].sort();
    const others = await tx
      .select({ code: authorities.code, prefixes: authorities.postcodeAreas })
      .from(authorities)
      .where(and(isNotNull(authorities.postcodeAreas), ne(authorities.code, code)));
    const clashes = unique.flatMap((p, i) =>
      others.flatMap((o) =>
        (o.prefixes ?? []).filter((q) => prefixesOverlap(p, q)).map((q) => ({ index: i, prefix: p, owner: o.code, held: q })),
      ),
    );
    if (clashes.length)
      throw new AppError(
        "conflict",
        `${clashes.map((c) => (c.prefix === c.held ? `${c.prefix} is held by ${c.owner}` : `${c.prefix} overlaps ${c.held}, held by ${c.owner}`)).join("; ")}: a postcode area or district belongs to one authority; ask that authority's designated manager to release it first.`,
        {
          errors: clashes.map((c) => ({ path: `prefixes.${c.index}`, message: `overlaps ${c.held}, held by ${c.owner}` })),
          target: { type: "authority", id: code, authority: code },
          extra: { owners: [...new Set(clashes.map((c) => c.owner))].sort() },
        },
      );
    await tx
      .update(authorities)
      .set({ postcodeAreas: unique.length ? unique : null })
      .where(eq(authorities.code, code));
    const previous = current.postcodeAreas ?? [];
    const detail = { prefixes: unique, previous };
    await recordAudit(tx, ctx, {
      action: "authority.postcode_areas.update",
      target: { type: "authority", id: code },
      authority: code,
      detail,
    });
    // Which authority answers for a postcode is decided across the deployment, so a change is
    // also shown to the auditors of every other authority listing postcodes in the same areas.
    const letters = new Set([...unique, ...previous].map(areaOf));
    const neighbours = others
      .filter((o) => (o.prefixes ?? []).some((q) => letters.has(areaOf(q))))
      .map((o) => o.code)
      .sort();
    for (const other of neighbours)
      await recordAudit(tx, ctx, {
        action: "authority.postcode_areas.update",
        target: { type: "authority", id: code },
        authority: other,
        detail: { ...detail, changedAuthority: code },
      });
    return { prefixes: unique };
  });
}

/** The postcode areas an authority covers, for its own designated manager. */
export async function getAreas(ctx: Ctx, code: string) {
  return { prefixes: (await managedAuthority(ctx.store.read, ctx, code)).postcodeAreas ?? [] };
}
