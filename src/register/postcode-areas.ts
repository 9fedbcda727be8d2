/**
 * Which authorities of the deployment an address belongs to (the Pan Dorset note: one
 * register service, several authorities, an out-of-hours team acting for all of them). Each
 * authority lists the postcode areas (`BH`) and districts (`BH1`) it covers; the most
 * specific match wins, so `BH1` held by one authority beats `BH` held by another.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { eq, isNotNull } from "drizzle-orm";
import type { Ctx } from "../app-env";
import { recordAudit } from "../audit/audit.service";
import { ctxOf, requireRole } from "../auth/middleware";
import { authorities } from "../db/schema";
import type { Queryable } from "../db/store";
import { MAX, Text } from "../lib/fields";
import { createRouter, errorResponses, jsonBody, jsonResponse } from "../lib/router";
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

async function setAreas(ctx: Ctx, code: string, prefixes: string[]) {
  return ctx.store.write(async (tx) => {
    await managedAuthority(tx, ctx, code);
    const unique = [...new Set(prefixes)].sort();
    await tx.update(authorities).set({ postcodeAreas: unique.length ? unique : null }).where(eq(authorities.code, code));
    await recordAudit(tx, ctx, { action: "authority.postcode_areas.update", target: { type: "authority", id: code }, authority: code, detail: { prefixes: unique } });
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
  responses: { 200: jsonResponse(Areas, "The areas as they now stand"), ...errorResponses(404, 422) },
});

export const postcodeAreaRoutes = createRouter()
  .openapi(get, async (c) => c.json({ prefixes: (await managedAuthority(ctxOf(c).store.read, ctxOf(c), c.req.valid("param").code)).postcodeAreas ?? [] }, 200))
  .openapi(put, async (c) => c.json(await setAreas(ctxOf(c), c.req.valid("param").code, c.req.valid("json").prefixes), 200));
