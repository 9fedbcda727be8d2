import { z } from "@hono/zod-openapi";
import { MAX_HISTORY } from "../db/answer-shape";
import { personRelationships, planCategories, planEndReasons } from "../db/schema";
import { CalendarDate } from "../lib/dates";
import {
  AuthorityCodeOut,
  DateOut,
  ExternalIdOut,
  enumOut,
  enumOutOrNull,
  IdOut,
  InstantOut,
  MAX,
  NameOut,
  PhoneOut,
  PostcodeOut,
  Text as TextOut,
} from "../lib/fields";
import { normalisePostcode } from "./address";
import { MoveInSchema, MoveOutSchema } from "./move-views";

/**
 * The most of each kind of history (cases, plans, conferences, moves, a plan's category
 * changes) a child's record is documented to hold: an import line brings at most 50 cases and
 * plans and 100 conferences, and a child's whole childhood holds far fewer than this.
 */

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
  .openapi({
    type: "string",
    maxLength: 20,
    example: "9434765919",
    description: "10 digits, spaces or hyphens allowed; answered as 10 digits",
  });

export const Postcode = z
  .string()
  .max(MAX.postcodeInput)
  .transform((s, ctx) => {
    const pc = normalisePostcode(s);
    if (!pc) {
      ctx.addIssue({ code: "custom", message: "is not a valid UK postcode" });
      return z.NEVER;
    }
    return pc;
  })
  .openapi({
    type: "string",
    maxLength: MAX.postcodeInput,
    example: "ST16 2LH",
    description: "A UK postcode, any case and spacing; answered normalised",
  });

const Text = (max: number) => z.string().trim().min(1).max(max);

export const AddressInput = z
  .strictObject({
    line1: Text(MAX.line).openapi({ example: "12 High Street" }),
    line2: z.string().trim().max(MAX.line).nullish(),
    town: z.string().trim().max(MAX.town).nullish(),
    postcode: Postcode.nullish(),
    from: CalendarDate.nullish(),
    to: CalendarDate.nullish(),
  })
  .refine((a) => !a.from || !a.to || a.to >= a.from, { path: ["to"], message: "must not be before from" })
  .openapi("RegisterAddress");
export type AddressInput = z.infer<typeof AddressInput>;

export const AliasInput = z
  .strictObject({
    givenNames: z.string().trim().min(1).max(MAX.name).nullish(),
    familyName: z.string().trim().min(1).max(MAX.name).nullish(),
  })
  .refine((a) => a.givenNames || a.familyName, { message: "an alias needs a given name or a family name" })
  .openapi("Alias");
export type AliasInput = z.infer<typeof AliasInput>;

export const Sex = z.enum(["female", "male", "unknown"]);

/** A parent, carer or significant other on a child's record (seed 000 §2.151-2.153). */
export const PersonInput = z
  .strictObject({
    givenNames: Text(MAX.name).openapi({ example: "Sarah" }),
    familyName: Text(MAX.name).openapi({ example: "Hartley" }),
    aliases: z.array(AliasInput).max(10).default([]),
    dateOfBirth: CalendarDate.nullish(),
    relationship: z.enum(personRelationships),
    livesWithChild: z.boolean(),
  })
  .openapi("RecordPerson");
export type PersonInput = z.infer<typeof PersonInput>;
/** The most people a record holds: a household, and the significant others around it. */
export const MAX_PEOPLE = 30;

export const childFields = {
  externalId: z
    .string()
    .trim()
    .min(1)
    .max(MAX.id)
    .nullish()
    .openapi({ example: "LCS-123", description: "The child's id in the case system" }),
  givenNames: Text(MAX.name).openapi({ example: "Amy Louise" }),
  familyName: Text(MAX.name).openapi({ example: "Smith" }),
  aliases: z.array(AliasInput).max(50),
  dateOfBirth: CalendarDate.nullish(),
  expectedDateOfDelivery: CalendarDate.nullish().openapi({ description: "For an unborn child" }),
  sex: Sex.nullish(),
  nhsNumber: NhsNumber.nullish(),
  addresses: z.array(AddressInput).max(50),
  householdNote: z
    .string()
    .trim()
    .max(MAX.text)
    .nullish()
    .openapi({ description: "Household information that may be shared with enquirers" }),
  people: z
    .array(PersonInput)
    .max(MAX_PEOPLE)
    .openapi({ description: "Parents, carers and significant others; given, it replaces those recorded" }),
};

export const ChildCreate = z
  .strictObject({
    authority: z.string().min(1).max(MAX.authority).openapi({ example: "STAFFS" }),
    ...childFields,
    aliases: childFields.aliases.default([]),
    addresses: childFields.addresses.default([]),
    people: childFields.people.default([]),
  })
  .refine((c) => c.dateOfBirth || c.expectedDateOfDelivery, {
    path: ["dateOfBirth"],
    message: "a date of birth or an expected date of delivery is required",
  })
  .openapi("ChildCreate");
export type ChildCreate = z.infer<typeof ChildCreate>;

/** Lists (aliases, addresses, people) given in a patch replace the recorded ones whole. */
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
    people: childFields.people.optional(),
  })
  .refine((p) => Object.values(p).some((v) => v !== undefined), { message: "give at least one field to change" })
  .openapi("ChildPatch");
export type ChildPatch = z.infer<typeof ChildPatch>;

const KeyWorkerSchema = z.object({ id: IdOut, name: NameOut, team: NameOut.nullable(), phone: PhoneOut.nullable() }).openapi("KeyWorker");

export const CaseSchema = z
  .object({
    id: IdOut,
    childId: IdOut,
    type: z.enum(["child_in_need", "child_protection", "looked_after"]),
    openedOn: DateOut,
    closedOn: DateOut.nullable(),
    status: z.enum(["open", "closed"]),
    keyWorker: KeyWorkerSchema.nullable(),
  })
  .openapi("Case");

export const PlanSchema = z
  .object({
    id: IdOut,
    childId: IdOut,
    authority: AuthorityCodeOut.nullable().openapi({
      description: "Whose plan it is (a child handed over between authorities keeps both)",
    }),
    startDate: DateOut,
    endDate: DateOut.nullable(),
    endReason: enumOutOrNull(planEndReasons),
    temporary: z.boolean(),
    originatingAuthority: NameOut.nullable().openapi({ description: "For a temporary plan: the authority whose plan it is" }),
    categories: z
      .array(enumOut(planCategories))
      .max(planCategories.length)
      .openapi({ description: "Current categories, or those held when the plan ended" }),
    categoryHistory: z
      .array(z.object({ category: enumOut(planCategories), from: DateOut, to: DateOut.nullable() }))
      .max(MAX_HISTORY)
      .openapi({ description: "Every category the plan has held, and when" }),
  })
  .openapi("Plan");

/** Seed 004 §47: the agencies at a conference, told when the plan it led to ends. A conference seats a few dozen at most. */
const MAX_AGENCIES_REPRESENTED = 50;
export const AgenciesRepresented = z
  .array(z.string().trim().min(1).max(MAX.id))
  .max(MAX_AGENCIES_REPRESENTED)
  .refine((ids) => new Set(ids).size === ids.length, "must not repeat an agency")
  .default([])
  .openapi({ description: "Ids of the agencies represented at the conference (`GET /v1/agencies`)" });

export const ConferenceSchema = z
  .object({
    id: IdOut,
    childId: IdOut,
    type: z.enum(["initial", "review", "receiving_in"]),
    heldOn: DateOut,
    outcome: z.enum(["plan", "no_plan"]),
    agenciesRepresented: z.array(IdOut).max(MAX_AGENCIES_REPRESENTED),
  })
  .openapi("Conference");

export const PersonSchema = z
  .object({
    id: IdOut,
    givenNames: NameOut,
    familyName: NameOut,
    aliases: z.array(z.object({ givenNames: NameOut.nullable(), familyName: NameOut.nullable() })).max(10),
    dateOfBirth: DateOut.nullable(),
    relationship: enumOut(personRelationships),
    livesWithChild: z.boolean(),
  })
  .openapi("Person");

export const ChildRecordSchema = z
  .object({
    id: IdOut,
    authority: AuthorityCodeOut,
    externalId: ExternalIdOut.nullable(),
    givenNames: NameOut,
    familyName: NameOut,
    aliases: z.array(z.object({ givenNames: NameOut.nullable(), familyName: NameOut.nullable() })).max(50),
    dateOfBirth: DateOut.nullable(),
    expectedDateOfDelivery: DateOut.nullable(),
    sex: enumOutOrNull(Sex.options),
    nhsNumber: z.string().max(10).nullable().openapi({ pattern: "^\\d{10}$", example: "9434765919" }),
    addresses: z
      .array(
        z.object({
          id: IdOut,
          line1: TextOut(MAX.line),
          line2: TextOut(MAX.line).nullable(),
          town: TextOut(MAX.town).nullable(),
          postcode: PostcodeOut.nullable(),
          from: DateOut.nullable(),
          to: DateOut.nullable(),
          current: z.boolean(),
        }),
      )
      .max(50),
    householdNote: TextOut(MAX.text).nullable(),
    people: z.array(PersonSchema).max(MAX_PEOPLE),
    cases: z.array(CaseSchema).max(MAX_HISTORY),
    plans: z.array(PlanSchema).max(MAX_HISTORY),
    conferences: z.array(ConferenceSchema).max(MAX_HISTORY),
    movesIn: z.array(MoveInSchema).max(MAX_HISTORY),
    movesOut: z.array(MoveOutSchema).max(MAX_HISTORY),
    createdAt: InstantOut,
    updatedAt: InstantOut,
  })
  .openapi("ChildRecord");

export const ChildSummarySchema = z
  .object({
    id: IdOut,
    authority: AuthorityCodeOut,
    externalId: ExternalIdOut.nullable(),
    givenNames: NameOut,
    familyName: NameOut,
    dateOfBirth: DateOut.nullable(),
    expectedDateOfDelivery: DateOut.nullable(),
    postcode: PostcodeOut.nullable().openapi({ description: "Postcode of the current address" }),
  })
  .openapi("ChildSummary");

export const ChildOnPlanSchema = z
  .object({
    id: IdOut,
    authority: AuthorityCodeOut.openapi({ description: "Whose plan it is" }),
    name: NameOut.openapi({ description: "The given names then the family name, as recorded" }),
    dateOfBirth: DateOut.nullable(),
    expectedDateOfDelivery: DateOut.nullable(),
    categories: z.array(enumOut(planCategories)).max(planCategories.length).openapi({ description: "The plan's categories now" }),
    startDate: DateOut,
    temporary: z.boolean().openapi({ description: "Moved in on another authority's plan (seed 004 §62)" }),
    keyWorker: z
      .object({ id: IdOut, name: NameOut, phone: PhoneOut.optional() })
      .nullable()
      .openapi({ description: "The open case's key worker (the latest opened case); null with no open case here" }),
  })
  .openapi("ChildOnPlan");
