/**
 * Which authorities of the deployment an address belongs to (the Pan Dorset note: one
 * register service, several authorities, an out-of-hours team acting for all of them). Each
 * authority lists the postcode areas (`BH`) and districts (`BH1`) it covers; the most
 * specific match wins, so `BH1` held by one authority beats `BH` held by another.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { and, eq, isNotNull, ne } from "drizzle-orm";
import type { Ctx } from "../domain/ctx";
import { recordAudit } from "../audit/audit.service";
import { ctxOf, requireRole } from "../http/middleware";
import { authorities } from "../db/schema";
import type { Queryable } from "../db/store";
import { MAX, Text } from "../lib/fields";
import { AppError } from "../lib/errors";
import { createRouter, errorResponses, jsonBody, jsonResponse } from "../http/router";
import { managedAuthority } from "./authorities.service";

const Prefix = z
  .string()
  .max(10)
  .transform((s) => s.replace(/\s+/g, "").toUpperCase())
  .pipe(z.string().regex(/^[A-Z]{1,2}(\d[A-Z\d]?)?$/, "must be a postcode area (BH) or district (BH1, W1A)"))
  .openapi({ type: "string", maxLength: 10, example: "BH1", description: "A postcode area (BH) or district (BH1, W1A), any case and spacing" });

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
  const rows = await q.select({ code: authorities.code, prefixes: authorities.postcodeAreas }).from(authorities).where(isNotNull(authorities.postcodeAreas));
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
async function setAreas(ctx: Ctx, code: string, prefixes: string[]) {
  return ctx.store.write(async (tx) => {
    const current = await managedAuthority(tx, ctx, code);
    const unique = [...new Set(prefixes)].sort();
    const others = await tx
      .select({ code: authorities.code, prefixes: authorities.postcodeAreas })
      .from(authorities)
      .where(and(isNotNull(authorities.postcodeAreas), ne(authorities.code, code)));
    const clashes = unique.flatMap((p, i) =>
      others.flatMap((o) => (o.prefixes ?? []).filter((q) => prefixesOverlap(p, q)).map((q) => ({ index: i, prefix: p, owner: o.code, held: q }))),
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
    await tx.update(authorities).set({ postcodeAreas: unique.length ? unique : null }).where(eq(authorities.code, code));
    const previous = current.postcodeAreas ?? [];
    const detail = { prefixes: unique, previous };
    await recordAudit(tx, ctx, { action: "authority.postcode_areas.update", target: { type: "authority", id: code }, authority: code, detail });
    // Which authority answers for a postcode is decided across the deployment, so a change is
    // also shown to the auditors of every other authority listing postcodes in the same areas.
    const letters = new Set([...unique, ...previous].map(areaOf));
    const neighbours = others.filter((o) => (o.prefixes ?? []).some((q) => letters.has(areaOf(q)))).map((o) => o.code).sort();
    for (const other of neighbours)
      await recordAudit(tx, ctx, { action: "authority.postcode_areas.update", target: { type: "authority", id: code }, authority: other, detail: { ...detail, changedAuthority: code } });
    return { prefixes: unique };
  });
}

const Params = z.object({ code: z.string().min(1).max(MAX.authority).openapi({ param: { name: "code", in: "path" } }) });
const Areas = z.object({ prefixes: z.array(Text(4).openapi({ pattern: "^[A-Z]{1,2}(\\d[A-Z\\d]?)?$", example: "BH1" })).max(200) }).openapi("PostcodeAreas");
const dmOnly = [requireRole("designated_manager")];

const get = createRoute({
  method: "get",
  path: "/v1/authorities/{code}/postcode-areas",
  tags: ["Register"],
  summary: "The postcode areas and districts an authority covers",
  operationId: "getPostcodeAreas",
  description: "The postcode areas (BH) and districts (BH1) an authority covers, sorted: an enquiry with an address there is checked against its register too. Designated managers only, for their own authorities (the token's `authorities`).",
  middleware: dmOnly,
  request: { params: Params },
  responses: { 200: jsonResponse(Areas, "Areas"), ...errorResponses(404) },
});
const put = createRoute({
  method: "put",
  path: "/v1/authorities/{code}/postcode-areas",
  tags: ["Register"],
  summary: "Set the postcode areas an authority covers: enquiries with an address there are checked against its register too (audited)",
  operationId: "setPostcodeAreas",
  description: "Replaces an authority's postcode areas and districts (at most 200; the most specific match wins across the deployment's authorities). Audited. Designated managers only, for their own authorities (the token's `authorities`).",
  middleware: dmOnly,
  request: { params: Params, body: jsonBody(z.strictObject({ prefixes: z.array(Prefix).max(200) })) },
  responses: { 200: jsonResponse(Areas, "The areas as they now stand"), ...errorResponses(404, 409, 422) },
});

export const postcodeAreaRoutes = createRouter()
  .openapi(get, async (c) => c.json({ prefixes: (await managedAuthority(ctxOf(c).store.read, ctxOf(c), c.req.valid("param").code)).postcodeAreas ?? [] }, 200))
  .openapi(put, async (c) => c.json(await setAreas(ctxOf(c), c.req.valid("param").code, c.req.valid("json").prefixes), 200));
