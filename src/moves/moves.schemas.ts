import { z } from "@hono/zod-openapi";
import { moveOutcomes, planCategories } from "../db/schema";
import { CalendarDate } from "../lib/dates";
import { AuthorityCodeOut, DateOut, IdOut, MAX } from "../lib/fields";
import { PhoneNumber } from "../lib/phone";
import { AddressInput, AgenciesRepresented, childFields } from "../register/children.schemas";

const Name = z.string().trim().min(1).max(MAX.name);

export const MoveInCreate = z
  .strictObject({
    authority: z.string().min(1).max(MAX.authority).openapi({ example: "STAFFS" }),
    child: z
      .strictObject({
        // As POST /v1/children; the authority, if given, is the move's.
        authority: z.string().min(1).max(MAX.authority).optional(),
        ...childFields,
        aliases: childFields.aliases.default([]),
        addresses: childFields.addresses.default([]),
        people: childFields.people.default([]),
      })
      .refine((c) => c.dateOfBirth || c.expectedDateOfDelivery, {
        path: ["dateOfBirth"],
        message: "a date of birth or an expected date of delivery is required",
      }),
    moveDate: CalendarDate,
    status: z.enum(["impending", "actual"]),
    originatingAuthority: z.strictObject({ name: Name, custodianPhone: PhoneNumber }),
    originatingKeyWorker: z.strictObject({ name: Name, phone: PhoneNumber }),
    plan: z.strictObject({ startDate: CalendarDate, categories: z.array(z.enum(planCategories)).min(1).max(4) }),
  })
  .refine((m) => !m.child.authority || m.child.authority === m.authority, {
    path: ["child", "authority"],
    message: "must be the move's authority, or left out",
  })
  .openapi("MoveInCreate");
export type MoveInCreate = z.infer<typeof MoveInCreate>;

export const MoveInPatch = z
  .strictObject({ status: z.enum(["impending", "actual"]).optional(), moveDate: CalendarDate.optional() })
  .refine((p) => p.status || p.moveDate, { message: "give status or moveDate" })
  .openapi("MoveInPatch");

export const MoveInOutcome = z
  .strictObject({
    outcome: z.enum(moveOutcomes),
    decidedOn: CalendarDate,
    reason: z.string().trim().min(1).max(MAX.shortText).optional(),
    agenciesRepresented: AgenciesRepresented.optional().openapi({
      description:
        "Ids of the agencies represented at the receiving-in conference (`GET /v1/agencies`): told when the plan it made this authority's own ends (seed 004 §47)",
    }),
  })
  .refine((o) => o.outcome !== "procedures_not_applied" || o.reason, {
    path: ["reason"],
    message: "say why local procedures do not apply (for example, looked after elsewhere)",
  })
  .refine((o) => o.outcome !== "procedures_not_applied" || !o.agenciesRepresented?.length, {
    path: ["agenciesRepresented"],
    message: "no receiving-in conference was held when procedures do not apply",
  })
  .openapi("MoveInOutcome");

export const MoveOutCreate = z
  .strictObject({
    moveDate: CalendarDate,
    newAddress: AddressInput,
    receivingAuthority: z.strictObject({
      name: Name,
      custodianPhone: PhoneNumber,
      code: z.string().min(1).max(MAX.authority).optional().openapi({
        description: "An authority this deployment holds: the record is handed over to it when it records the receiving-in outcome",
      }),
    }),
  })
  .openapi("MoveOutCreate");
export type MoveOutCreate = z.infer<typeof MoveOutCreate>;

export const MoveOutConfirmation = z
  .strictObject({ confirmedOn: CalendarDate, outcome: z.enum(moveOutcomes) })
  .openapi("MoveOutConfirmation");

export const DeadlineSchema = z
  .object({
    kind: z.literal("receiving_in_conference"),
    due: DateOut,
    childId: IdOut,
    moveId: IdOut,
    authority: AuthorityCodeOut,
    overdue: z.boolean(),
  })
  .openapi("Deadline");
