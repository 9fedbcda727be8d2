import { and, desc, eq, inArray, lt } from "drizzle-orm";
import { recordAudit, recordListAudit } from "../audit/audit.service";
import { enquiries } from "../db/schema";
import type { Ctx } from "../domain/ctx";
import { notFound } from "../lib/errors";
import { formatReference } from "../lib/reference";
import { childInScope } from "../register/children.service";
import { answerSubjects } from "./answer";
import { enquirerView, ownEnquiryView } from "./views";

const given = (e: typeof enquiries.$inferSelect) => (e.status === "answered" ? answerSubjects(e.answerGiven) : []);

/** An enquirer's own enquiries, newest first; reading an answer is audited. */
export async function listOwnEnquiries(ctx: Ctx, opts: { before?: number | undefined; limit: number }) {
  return ctx.store.write(async (tx) => {
    const rows = await tx
      .select()
      .from(enquiries)
      .where(and(eq(enquiries.enquirerId, ctx.principal.userId), opts.before ? lt(enquiries.referenceNo, opts.before) : undefined))
      .orderBy(desc(enquiries.referenceNo))
      .limit(opts.limit + 1);
    const shown = rows.slice(0, opts.limit);
    await recordListAudit(tx, ctx, {
      action: "enquiry.list",
      items: shown.map((r) => ({ authority: r.authority, id: r.id, subjects: given(r) })),
    });
    return rows.map((r) => ({ ...ownEnquiryView(r), cursor: r.referenceNo }));
  });
}

/** Another enquirer's enquiry is simply not found. */
export async function getOwnEnquiry(ctx: Ctx, id: string) {
  return ctx.store.write(async (tx) => {
    const [row] = await tx.select().from(enquiries).where(eq(enquiries.id, id));
    // Not yours is not found; the attempt is filed under the enquiry's own authority, so that
    // its auditor sees it and no other authority's auditor learns the enquiry exists.
    if (!row || row.enquirerId !== ctx.principal.userId) throw notFound("The enquiry", { type: "enquiry", id, authority: row?.authority });
    await recordAudit(tx, ctx, { action: "enquiry.read", target: { type: "enquiry", id }, authority: row.authority, subjects: given(row) });
    return ownEnquiryView(row);
  });
}

/**
 * The enquiries made about a child of the manager's authorities (those the register matched to
 * the child, or the duty officer confirmed), newest first: who asked, when, why and what
 * became of it. An audited read of the child.
 */
export async function enquiriesAboutChild(ctx: Ctx, childId: string, limit = 100) {
  return ctx.store.write(async (tx) => {
    const child = await childInScope(tx, ctx, childId);
    const rows = await tx
      .select()
      .from(enquiries)
      .where(and(eq(enquiries.childId, childId), inArray(enquiries.authority, ctx.principal.authorities)))
      .orderBy(desc(enquiries.referenceNo))
      .limit(limit);
    await recordAudit(tx, ctx, {
      action: "child.enquiries",
      target: { type: "child", id: childId },
      authority: child.authority,
      subjects: [childId],
    });
    return rows.map((e) => ({
      id: e.id,
      reference: formatReference(e.referenceNo),
      receivedAt: e.receivedAt,
      status: e.status,
      outOfHours: e.outOfHours,
      enquirer: enquirerView(e),
      reason: e.details.reason,
      answeredAt: e.answeredAt,
    }));
  });
}
