import { z } from "@hono/zod-openapi";
import { moveOutcomes, type movesIn, type movesOut } from "../db/schema";

// The views' shapes, here rather than beside the request schemas so that the child record's
// schema can use them without importing the child schemas back.
export const MoveInSchema = z
  .object({
    id: z.string(),
    authority: z.string(),
    childId: z.string(),
    planId: z.string(),
    status: z.enum(["impending", "actual"]),
    moveDate: z.string(),
    originatingAuthority: z.object({ name: z.string(), custodianPhone: z.string() }),
    originatingKeyWorker: z.object({ name: z.string(), phone: z.string() }),
    receivingInConferenceDue: z.string(),
    handoverOf: z.string().nullable().openapi({ description: "The move out from another authority of this deployment that this receives: the record is handed over on the outcome" }),
    outcome: z.enum(moveOutcomes).nullable(),
    decidedOn: z.string().nullable(),
    reason: z.string().nullable(),
    temporary: z.boolean().openapi({ description: "Whether the child is still on the register in a temporary capacity" }),
  })
  .openapi("MoveIn");

export const MoveOutSchema = z
  .object({
    id: z.string(),
    authority: z.string(),
    childId: z.string(),
    planId: z.string(),
    moveDate: z.string(),
    newAddress: z.object({ line1: z.string(), line2: z.string().nullable(), town: z.string().nullable(), postcode: z.string().nullable() }),
    receivingAuthority: z.object({ name: z.string(), custodianPhone: z.string(), code: z.string().nullable() }),
    status: z.enum(["awaiting_confirmation", "confirmed"]),
    confirmedOn: z.string().nullable(),
    outcome: z.enum(moveOutcomes).nullable(),
  })
  .openapi("MoveOut");



type MoveInRow = typeof movesIn.$inferSelect;
type MoveOutRow = typeof movesOut.$inferSelect;

export function moveInView(m: MoveInRow, temporary: boolean) {
  return {
    id: m.id,
    authority: m.authority,
    childId: m.childId,
    planId: m.planId,
    status: m.status,
    moveDate: m.moveDate,
    originatingAuthority: { name: m.originatingAuthorityName, custodianPhone: m.originatingCustodianPhone },
    originatingKeyWorker: { name: m.originatingKeyWorkerName, phone: m.originatingKeyWorkerPhone },
    receivingInConferenceDue: m.receivingInDue,
    handoverOf: m.handoverOf,
    outcome: m.outcome,
    decidedOn: m.decidedOn,
    reason: m.reason,
    temporary,
  };
}

export function moveOutView(m: MoveOutRow) {
  return {
    id: m.id,
    authority: m.authority,
    childId: m.childId,
    planId: m.planId,
    moveDate: m.moveDate,
    newAddress: m.newAddress,
    receivingAuthority: { name: m.receivingAuthorityName, custodianPhone: m.receivingCustodianPhone, code: m.receivingAuthorityCode },
    status: m.confirmedOn ? ("confirmed" as const) : ("awaiting_confirmation" as const),
    confirmedOn: m.confirmedOn,
    outcome: m.outcome,
  };
}
