import { z } from "@hono/zod-openapi";
import { planCategories, planEndReasons } from "../db/schema";
import { CalendarDate } from "../lib/dates";
import { childFields } from "../register/children.schemas";

/** One child a line, as the case management system exports it (api.md, POST /v1/import). */
export const ImportLine = z
  .strictObject({
    authority: z.string().min(1).max(20),
    ...childFields,
    externalId: z.string().trim().min(1).max(100),
    aliases: childFields.aliases.default([]),
    addresses: childFields.addresses.default([]),
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
      .array(z.strictObject({ type: z.enum(["initial", "review", "receiving_in"]), heldOn: CalendarDate, outcome: z.enum(["plan", "no_plan"]) }))
      .max(100)
      .default([]),
  })
  .refine((c) => c.dateOfBirth || c.expectedDateOfDelivery, { path: ["dateOfBirth"], message: "a date of birth or an expected date of delivery is required" });
export type ImportLine = z.infer<typeof ImportLine>;

export const ImportResult = z
  .object({ created: z.number().int(), updated: z.number().int(), unchanged: z.number().int(), lines: z.number().int() })
  .openapi("ImportResult");

export const ImportErrors = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number(),
    detail: z.string(),
    lines: z.array(z.object({ line: z.number().int(), errors: z.array(z.object({ path: z.string(), message: z.string() })) })),
  })
  .openapi("ImportProblem");
