import { and, desc, inArray, lt } from "drizzle-orm";
import { recordListAudit } from "../audit/audit.service";
import { actingManagerAuthorities } from "../considerations/acting-manager";
import { keyWorkerAlerts, trawlAlerts } from "../db/schema";
import type { Queryable } from "../db/store";
import type { Ctx } from "../domain/ctx";
import { listRiskLinks } from "../risk/risk.service";

/**
 * The designated manager's alerts, newest first: suspected trawls (too many enquiries from one
 * login), enquiries linked to a person who may pose a risk (seed 000 §2.153), and enquiries
 * about plan children no key worker with a login could be told of (seed 004 §72).
 */
export async function listAlerts(ctx: Ctx, opts: { before?: string | undefined; limit: number }) {
  const codes = await actingManagerAuthorities(ctx, ctx.store.read);
  if (!codes.length) return [];
  return ctx.store.write(async (tx) => {
    const [trawls, links, unreached] = await Promise.all([
      trawlRows(tx, codes, opts),
      listRiskLinks(tx, codes, opts),
      keyWorkerRows(tx, codes, opts),
    ]);
    const merged = [
      ...trawls.map((r) => ({ id: r.id, row: trawlView(r), subjects: [] as string[] })),
      ...unreached.map((r) => ({
        id: r.id,
        subjects: [r.childId],
        row: {
          id: r.id,
          kind: "enquiry_without_key_worker" as const,
          authority: r.authority,
          enquiryId: r.enquiryId,
          childId: r.childId,
          reason: r.reason,
          createdAt: r.createdAt,
        },
      })),
      ...links.map((r) => ({
        id: r.id,
        subjects: [] as string[],
        row: {
          id: r.id,
          kind: "enquiry_linked_to_person_posing_risk" as const,
          authority: r.authority,
          enquiryId: r.enquiryId,
          personId: r.personId,
          createdAt: r.createdAt,
        },
      })),
    ]
      .sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
      .slice(0, opts.limit + 1);
    await recordListAudit(tx, ctx, {
      action: "alert.list",
      items: merged.slice(0, opts.limit).map((m) => ({ authority: m.row.authority, id: m.id, subjects: m.subjects })),
    });
    return merged.map((m) => m.row);
  });
}

type TrawlRow = typeof trawlAlerts.$inferSelect;
const trawlView = (r: TrawlRow) => ({
  id: r.id,
  kind: "suspected_trawl" as const,
  authority: r.authority,
  at: r.at,
  enquirer: { userId: r.enquirerId, name: r.enquirerName, profession: r.profession, agency: r.agency },
  enquiriesInWindow: r.enquiriesInWindow,
  windowMinutes: r.windowMinutes,
});

function trawlRows(tx: Queryable, codes: string[], opts: { before?: string | undefined; limit: number }) {
  return tx
    .select()
    .from(trawlAlerts)
    .where(and(inArray(trawlAlerts.authority, codes), opts.before ? lt(trawlAlerts.id, opts.before) : undefined))
    .orderBy(desc(trawlAlerts.id))
    .limit(opts.limit + 1);
}

function keyWorkerRows(tx: Queryable, codes: string[], opts: { before?: string | undefined; limit: number }) {
  return tx
    .select()
    .from(keyWorkerAlerts)
    .where(and(inArray(keyWorkerAlerts.authority, codes), opts.before ? lt(keyWorkerAlerts.id, opts.before) : undefined))
    .orderBy(desc(keyWorkerAlerts.id))
    .limit(opts.limit + 1);
}
