import { z } from "@hono/zod-openapi";
import { planCategories, planEndReasons } from "../db/schema";
import { RequestId } from "../http/router";
import { CalendarDate } from "../lib/dates";
import { int32, Text } from "../lib/fields";
import { AgenciesRepresented, childFields } from "../register/children.schemas";

/** One child a line, as the case management system exports it (api.md, POST /v1/import). */
export const ImportLine = z
  .strictObject({
    authority: z.string().min(1).max(20),
    ...childFields,
    externalId: z.string().trim().min(1).max(100),
    aliases: childFields.aliases.default([]),
    addresses: childFields.addresses.default([]),
    // Left out, the people recorded stay as they are; given, they replace them (api.md).
    people: childFields.people.optional(),
    cases: z
      .array(
        z.strictObject({
          type: z.enum(["child_in_need", "child_protection", "looked_after"]),
          openedOn: CalendarDate,
          closedOn: CalendarDate.nullish(),
          keyWorkerExternalId: z.string().trim().min(1).max(100),
        }),
      )
      .max(50)
      .default([]),
    plans: z
      .array(
        z.strictObject({
          startDate: CalendarDate,
          endDate: CalendarDate.nullish(),
          endReason: z.enum(planEndReasons).nullish(),
          categories: z.array(z.enum(planCategories)).min(1).max(4),
          temporary: z.boolean().default(false),
          originatingAuthority: z.string().trim().min(1).max(200).nullish(),
        }),
      )
      .max(50)
      .default([]),
    conferences: z
      .array(
        z.strictObject({
          type: z.enum(["initial", "review", "receiving_in"]),
          heldOn: CalendarDate,
          outcome: z.enum(["plan", "no_plan"]),
          // Left out, a conference's agencies stay as they are (and the line's hash as it was); given, they replace them.
          agenciesRepresented: AgenciesRepresented.unwrap().optional(),
        }),
      )
      .max(100)
      .default([]),
  })
  .refine((c) => c.dateOfBirth || c.expectedDateOfDelivery, {
    path: ["dateOfBirth"],
    message: "a date of birth or an expected date of delivery is required",
  });
export type ImportLine = z.infer<typeof ImportLine>;

export const ImportResult = z.object({ created: int32(), updated: int32(), unchanged: int32(), lines: int32() }).openapi("ImportResult");

/** How many bad lines a refused import names (validate.ts reports the first thousand). */
const MAX_BAD_LINES = 1000;

export const ImportErrors = z
  .object({
    type: Text(200).openapi({ format: "uri" }),
    title: Text(200),
    status: int32(400, 599),
    detail: Text(8000),
    lines: z
      .array(z.object({ line: int32(1), errors: z.array(z.object({ path: Text(1000), message: Text(8000) })).max(1000) }))
      .max(MAX_BAD_LINES)
      .openapi({ description: "The bad lines (the first thousand), each with what is wrong with it" }),
    invalidLines: int32().optional().openapi({ description: "How many lines are bad in all" }),
    errors: z
      .array(z.object({ path: Text(1000), message: Text(8000) }))
      .max(1000)
      .optional()
      .openapi({ description: "The same errors as one list, each path starting `line N: ` (the first thousand)" }),
    requestId: RequestId.optional(),
  })
  .openapi("ImportProblem");
