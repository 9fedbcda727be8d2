import { and, desc, inArray, lt } from "drizzle-orm";
import type { Ctx } from "../app-env";
import { recordListAudit } from "../audit/audit.service";
import { trawlAlerts } from "../db/schema";

/** Suspected trawls (too many enquiries from one login) for the manager's authorities, newest first. */
export async function listTrawlAlerts(ctx: Ctx, opts: { before?: string | undefined; limit: number }) {
  if (!ctx.principal.authorities.length) return [];
  return ctx.store.write(async (tx) => {
    const rows = await tx
      .select()
      .from(trawlAlerts)
      .where(and(inArray(trawlAlerts.authority, ctx.principal.authorities), opts.before ? lt(trawlAlerts.id, opts.before) : undefined))
      .orderBy(desc(trawlAlerts.id))
      .limit(opts.limit + 1);
    await recordListAudit(tx, ctx, { action: "alert.list", items: rows.slice(0, opts.limit).map((r) => ({ authority: r.authority, id: r.id, subjects: [] })) });
    return rows.map((r) => ({
      id: r.id,
      kind: "suspected_trawl" as const,
      authority: r.authority,
      at: r.at,
      enquirer: { userId: r.enquirerId, name: r.enquirerName, profession: r.profession, agency: r.agency },
      enquiriesInWindow: r.enquiriesInWindow,
      windowMinutes: r.windowMinutes,
    }));
  });
}
