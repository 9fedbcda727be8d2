import { z } from "@hono/zod-openapi";
import { CalendarDate } from "../lib/dates";
import { normalisePostcode } from "./address";
import { MoveInSchema, MoveOutSchema } from "../moves/views";

/** The NHS number's Modulus 11 check digit: catches most mistyped digits before they match anything. */
export function isValidNhsNumber(s: string): boolean {
  const digits = s.replace(/\s|-/g, "");
  if (!/^\d{10}$/.test(digits)) return false;
  const sum = [...digits.slice(0, 9)].reduce((acc, d, i) => acc + Number(d) * (10 - i), 0);
  const check = 11 - (sum % 11);
  if (check === 10) return false;
  return (check === 11 ? 0 : check) === Number(digits[9]);
}

export const NhsNumber = z
  .string()
  .max(20)
  .refine(isValidNhsNumber, "is not a valid NHS number (10 digits with a valid check digit)")
  .transform((s) => s.replace(/\s|-/g, ""))
  .openapi({ type: "string", example: "9434765919" });

export const Postcode = z
  .string()
  .max(16)
  .transform((s, ctx) => {
    const pc = normalisePostcode(s);
    if (!pc) {
      ctx.addIssue({ code: "custom", message: "is not a valid UK postcode" });
      return z.NEVER;
    }
    return pc;
  })
  .openapi({ type: "string", example: "ST16 2LH" });

const Text = (max: number) => z.string().trim().min(1).max(max);

export const AddressInput = z
  .strictObject({
    line1: Text(200).openapi({ example: "12 High Street" }),
    line2: z.string().trim().max(200).nullish(),
    town: z.string().trim().max(100).nullish(),
    postcode: Postcode.nullish(),
    from: CalendarDate.nullish(),
    to: CalendarDate.nullish(),
  })
  .refine((a) => !a.from || !a.to || a.to >= a.from, { path: ["to"], message: "must not be before from" })
  .openapi("RegisterAddress");
export type AddressInput = z.infer<typeof AddressInput>;

export const AliasInput = z
  .strictObject({
    givenNames: z.string().trim().min(1).max(200).nullish(),
    familyName: z.string().trim().min(1).max(200).nullish(),
  })
  .refine((a) => a.givenNames || a.familyName, { message: "an alias needs a given name or a family name" })
  .openapi("Alias");
export type AliasInput = z.infer<typeof AliasInput>;

export const Sex = z.enum(["female", "male", "unknown"]);

export const childFields = {
  externalId: z.string().trim().min(1).max(100).nullish().openapi({ example: "LCS-123", description: "The child's id in the case system" }),
  givenNames: Text(200).openapi({ example: "Amy Louise" }),
  familyName: Text(200).openapi({ example: "Smith" }),
  aliases: z.array(AliasInput).max(50),
  dateOfBirth: CalendarDate.nullish(),
  expectedDateOfDelivery: CalendarDate.nullish().openapi({ description: "For an unborn child" }),
  sex: Sex.nullish(),
  nhsNumber: NhsNumber.nullish(),
  addresses: z.array(AddressInput).max(50),
  householdNote: z.string().trim().max(4000).nullish().openapi({ description: "Household information that may be shared with enquirers" }),
};

export const ChildCreate = z
  .strictObject({
    authority: z.string().min(1).max(20).openapi({ example: "STAFFS" }),
    ...childFields,
    aliases: childFields.aliases.default([]),
    addresses: childFields.addresses.default([]),
  })
  .refine((c) => c.dateOfBirth || c.expectedDateOfDelivery, {
    path: ["dateOfBirth"],
    message: "a date of birth or an expected date of delivery is required",
  })
  .openapi("ChildCreate");
export type ChildCreate = z.infer<typeof ChildCreate>;

/** Lists (aliases, addresses) given in a patch replace the recorded ones whole. */
export const ChildPatch = z
  .strictObject({
    externalId: childFields.externalId,
    givenNames: childFields.givenNames.optional(),
    familyName: childFields.familyName.optional(),
    aliases: childFields.aliases.optional(),
    dateOfBirth: childFields.dateOfBirth,
    expectedDateOfDelivery: childFields.expectedDateOfDelivery,
    sex: childFields.sex,
    nhsNumber: childFields.nhsNumber,
    addresses: childFields.addresses.optional(),
    householdNote: childFields.householdNote,
  })
  .refine((p) => Object.values(p).some((v) => v !== undefined), { message: "give at least one field to change" })
  .openapi("ChildPatch");
export type ChildPatch = z.infer<typeof ChildPatch>;

const KeyWorkerSchema = z
  .object({ id: z.string(), name: z.string(), team: z.string().nullable(), phone: z.string().nullable() })
  .openapi("KeyWorker");

export const CaseSchema = z
  .object({
    id: z.string(),
    childId: z.string(),
    type: z.enum(["child_in_need", "child_protection", "looked_after"]),
    openedOn: z.string(),
    closedOn: z.string().nullable(),
    status: z.enum(["open", "closed"]),
    keyWorker: KeyWorkerSchema.nullable(),
  })
  .openapi("Case");

export const PlanSchema = z
  .object({
    id: z.string(),
    childId: z.string(),
    authority: z.string().nullable().openapi({ description: "Whose plan it is (a child handed over between authorities keeps both)" }),
    startDate: z.string(),
    endDate: z.string().nullable(),
    endReason: z.string().nullable(),
    temporary: z.boolean(),
    originatingAuthority: z.string().nullable(),
    categories: z.array(z.string()).openapi({ description: "Current categories, or those held when the plan ended" }),
    categoryHistory: z.array(z.object({ category: z.string(), from: z.string(), to: z.string().nullable() })),
  })
  .openapi("Plan");

export const ConferenceSchema = z
  .object({
    id: z.string(),
    childId: z.string(),
    type: z.enum(["initial", "review", "receiving_in"]),
    heldOn: z.string(),
    outcome: z.enum(["plan", "no_plan"]),
  })
  .openapi("Conference");

export const ChildRecordSchema = z
  .object({
    id: z.string(),
    authority: z.string(),
    externalId: z.string().nullable(),
    givenNames: z.string(),
    familyName: z.string(),
    aliases: z.array(z.object({ givenNames: z.string().nullable(), familyName: z.string().nullable() })),
    dateOfBirth: z.string().nullable(),
    expectedDateOfDelivery: z.string().nullable(),
    sex: z.string().nullable(),
    nhsNumber: z.string().nullable(),
    addresses: z.array(
      z.object({
        id: z.string(),
        line1: z.string(),
        line2: z.string().nullable(),
        town: z.string().nullable(),
        postcode: z.string().nullable(),
        from: z.string().nullable(),
        to: z.string().nullable(),
        current: z.boolean(),
      }),
    ),
    householdNote: z.string().nullable(),
    cases: z.array(CaseSchema),
    plans: z.array(PlanSchema),
    conferences: z.array(ConferenceSchema),
    movesIn: z.array(MoveInSchema),
    movesOut: z.array(MoveOutSchema),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("ChildRecord");

export const ChildSummarySchema = z
  .object({
    id: z.string(),
    authority: z.string(),
    externalId: z.string().nullable(),
    givenNames: z.string(),
    familyName: z.string(),
    dateOfBirth: z.string().nullable(),
    expectedDateOfDelivery: z.string().nullable(),
    postcode: z.string().nullable().openapi({ description: "Postcode of the current address" }),
  })
  .openapi("ChildSummary");
