import { z } from "@hono/zod-openapi";
import { moveOutcomes, type movesIn, type movesOut } from "../db/schema";
import { AuthorityCodeOut, DateOut, IdOut, MAX, NameOut, PhoneOut, PostcodeOut, Text } from "../lib/fields";

// The views' shapes, here rather than beside the request schemas so that the child record's
// schema can use them without importing the child schemas back.
export const MoveInSchema = z
  .object({
    id: IdOut,
    authority: AuthorityCodeOut,
    childId: IdOut,
    planId: IdOut,
    status: z.enum(["impending", "actual"]),
    moveDate: DateOut,
    originatingAuthority: z.object({ name: NameOut, custodianPhone: PhoneOut }),
    originatingKeyWorker: z.object({ name: NameOut, phone: PhoneOut }),
    receivingInConferenceDue: DateOut,
    handoverOf: IdOut.nullable().openapi({
      description: "The move out from another authority of this deployment that this receives: the record is handed over on the outcome",
    }),
    outcome: z.enum(moveOutcomes).nullable(),
    decidedOn: DateOut.nullable(),
    reason: Text(MAX.shortText).nullable(),
    temporary: z.boolean().openapi({ description: "Whether the child is still on the register in a temporary capacity" }),
  })
  .openapi("MoveIn");

export const MoveOutSchema = z
  .object({
    id: IdOut,
    authority: AuthorityCodeOut,
    childId: IdOut,
    planId: IdOut,
    moveDate: DateOut,
    newAddress: z.object({
      line1: Text(MAX.line),
      line2: Text(MAX.line).nullable(),
      town: Text(MAX.town).nullable(),
      postcode: PostcodeOut.nullable(),
    }),
    receivingAuthority: z.object({ name: NameOut, custodianPhone: PhoneOut, code: AuthorityCodeOut.nullable() }),
    status: z.enum(["awaiting_confirmation", "confirmed"]),
    confirmedOn: DateOut.nullable(),
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
