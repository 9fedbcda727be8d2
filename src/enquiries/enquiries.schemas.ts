import { z } from "@hono/zod-openapi";
import { CalendarDate } from "../lib/dates";
import { PhoneNumber } from "../lib/phone";
import { NhsNumber, Postcode, Sex } from "../register/children.schemas";

const Name = z.string().trim().min(1).max(200);

/** What the enquirer knows (the Pan Dorset note after seed 000 2.156). */
export const EnquiryCreate = z
  .strictObject({
    authority: z.string().min(1).max(20).optional().openapi({ example: "STAFFS", description: "May be left out when the deployment holds one authority" }),
    alsoAuthorities: z
      .array(z.string().min(1).max(20))
      .max(10)
      .default([])
      .openapi({ description: "Other authorities of this deployment to check too; those whose postcode areas hold an address given are added" }),
    child: z.strictObject({
      givenNames: Name.openapi({ example: "Amy" }),
      familyName: Name.openapi({ example: "Smith" }),
      aliases: z
        .array(
          z
            .strictObject({ givenNames: Name.nullish(), familyName: Name.nullish() })
            .refine((a) => a.givenNames || a.familyName, { message: "an alias needs a given name or a family name" }),
        )
        .max(20)
        .default([]),
      dateOfBirth: CalendarDate.nullish(),
      sex: Sex.nullish(),
      nhsNumber: NhsNumber.nullish(),
    }),
    addresses: z
      .array(
        z.strictObject({
          line1: Name.openapi({ example: "12 High St" }),
          line2: z.string().trim().max(200).nullish(),
          town: z.string().trim().max(100).nullish(),
          postcode: Postcode.nullish(),
          current: z.boolean().optional().openapi({ description: "The child's present address; when none is marked, the first listed is taken as present" }),
        }),
      )
      .max(20)
      .default([]),
    carers: z
      .array(z.strictObject({ givenNames: Name.nullish(), familyName: Name.nullish(), relationship: z.string().trim().max(100).nullish() }))
      .max(20)
      .default([]),
    reason: z.string().trim().min(1).max(4000).openapi({ example: "Child presented at A&E with unexplained bruising" }),
    callbackNumber: PhoneNumber,
  })
  .refine((e) => e.child.dateOfBirth || e.addresses.length > 0, {
    path: ["child", "dateOfBirth"],
    message: "give the child's date of birth or an address",
  })
  .openapi("EnquiryCreate");
export type EnquiryCreate = z.infer<typeof EnquiryCreate>;

export const EnquiryCreated = z
  .object({
    id: z.string(),
    reference: z.string().openapi({ example: "ENQ-000123" }),
    status: z.enum(["awaiting_callback", "in_callback", "answered"]),
    receivedAt: z.string(),
    outOfHours: z.boolean(),
    callbackNumberRecognised: z.boolean(),
    alsoCheckedWith: z
      .array(z.object({ authority: z.string(), id: z.string(), reference: z.string() }))
      .openapi({ description: "The same enquiry as checked by other authorities of this deployment, each answered by its own call-back" }),
    notCheckedWith: z.array(z.object({ authority: z.string(), reason: z.string() })),
  })
  .openapi("EnquiryCreated");

export const AnswerSchema = z
  .object({
    match: z.enum(["known", "possible", "not_known"]),
    candidates: z.array(z.object({ childId: z.string(), name: z.string(), dateOfBirth: z.string().nullable(), score: z.number(), reasons: z.array(z.string()) })),
    child: z.object({ id: z.string(), name: z.string(), dateOfBirth: z.string().nullable(), authority: z.string() }).nullable(),
    currentPlan: z
      .object({
        startDate: z.string(),
        categories: z.array(z.string()),
        temporary: z.boolean(),
        originatingAuthority: z.string().nullable().openapi({ description: "For a temporary plan: the authority whose plan it is" }),
        movingTo: z
          .object({ authority: z.string(), moveDate: z.string() })
          .nullable()
          .openapi({ description: "A move out awaiting the receiving authority's confirmation: the plan is current until then" }),
      })
      .nullable(),
    previousPlans: z.array(z.object({ startDate: z.string(), endDate: z.string(), categories: z.array(z.string()) })),
    conferencesWithoutPlan: z.array(z.object({ heldOn: z.string() })),
    case: z.object({
      status: z.enum(["open", "closed", "never"]),
      keyWorker: z.object({ name: z.string(), team: z.string().nullable(), phone: z.string().nullable() }).nullable(),
    }),
    householdInformation: z.string().nullable(),
    earlierEnquiries: z.array(z.object({ reference: z.string(), receivedAt: z.string(), agency: z.string().nullable(), profession: z.string() })),
    advice: z.string(),
    movedTo: z
      .object({ authority: z.string(), on: z.string() })
      .nullable()
      .optional()
      .openapi({ description: "A child this authority handed over to another authority of the service: where and when (its own plans are listed as previous)" }),
  })
  .openapi("Answer");

const Details = {
  child: z.object({
    givenNames: z.string(),
    familyName: z.string(),
    aliases: z.array(z.object({ givenNames: z.string().nullish(), familyName: z.string().nullish() })),
    dateOfBirth: z.string().nullable(),
    sex: z.string().nullable(),
    nhsNumber: z.string().nullable(),
  }),
  addresses: z.array(z.object({ line1: z.string(), line2: z.string().nullish(), town: z.string().nullish(), postcode: z.string().nullish(), current: z.boolean() })),
  carers: z.array(z.object({ givenNames: z.string().nullish(), familyName: z.string().nullish(), relationship: z.string().nullish() })),
  reason: z.string(),
};

export const EnquirySchema = z
  .object({
    id: z.string(),
    reference: z.string(),
    authority: z.string(),
    status: z.enum(["awaiting_callback", "in_callback", "answered"]),
    receivedAt: z.string(),
    outOfHours: z.boolean(),
    callbackNumber: z.string(),
    callbackNumberRecognised: z.boolean(),
    ...Details,
    answer: AnswerSchema.nullable().openapi({ description: "The answer as given on the call-back; null until then" }),
    answeredAt: z.string().nullable(),
    adviceGiven: z.string().nullable(),
  })
  .openapi("Enquiry");

export const EnquiryDetailsSchema = z.object({ id: z.string(), reference: z.string(), ...Details }).openapi("EnquiryDetails");
export const EnquirerSchema = z.object({ name: z.string(), profession: z.string(), agency: z.string().nullable() }).openapi("Enquirer");

export const EnquiryIdParam = z.object({ enquiryId: z.string().min(1).max(100).openapi({ param: { name: "enquiryId", in: "path" } }) });
