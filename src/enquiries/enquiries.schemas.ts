import { z } from "@hono/zod-openapi";
import { MAX_CANDIDATES, Reasons, Score, StoredAnswer } from "../db/answer-shape";
import { CalendarDate } from "../lib/dates";
import {
  AuthorityCodeOut,
  DateOut,
  enumOutOrNull,
  IdOut,
  InstantOut,
  MAX,
  NameOut,
  PhoneOut,
  PostcodeOut,
  ReferenceOut,
  Text,
} from "../lib/fields";
import { PhoneNumber } from "../lib/phone";
import { NhsNumber, Postcode, Sex } from "../register/children.schemas";

export { MAX_CANDIDATES, Reasons, Score };

const Name = z.string().trim().min(1).max(MAX.name);

export const MAX_ENQUIRY_ALIASES = 5;

/** What the enquirer knows (the Pan Dorset note after seed 000 2.156). */

export const EnquiryCreate = z
  .strictObject({
    authority: z
      .string()
      .min(1)
      .max(MAX.authority)
      .optional()
      .openapi({ example: "STAFFS", description: "May be left out when the deployment holds one authority" }),
    alsoAuthorities: z.array(z.string().min(1).max(MAX.authority)).max(10).default([]).openapi({
      description: "Other authorities of this deployment to check too; those whose postcode areas hold an address given are added",
    }),
    child: z
      .strictObject({
        givenNames: Name.openapi({ example: "Amy" }),
        familyName: Name.openapi({ example: "Smith" }),
        aliases: z
          .array(
            z
              .strictObject({ givenNames: Name.nullish(), familyName: Name.nullish() })
              .refine((a) => a.givenNames || a.familyName, { message: "an alias needs a given name or a family name" }),
          )
          // What an enquirer knows of a child's other names is a few: a former or a step-parent's
          // surname, a name used at school, a spelling. Five covers those; each is another search
          // of the register (and costs a name against the fishing limit), so a longer list is a
          // trawl, not an enquiry. The register's own records, built up over years, keep 50.
          .max(MAX_ENQUIRY_ALIASES)
          .default([]),
        dateOfBirth: CalendarDate.nullish(),
        sex: Sex.nullish(),
        nhsNumber: NhsNumber.nullish(),
      })
      .optional(),
    unborn: z
      .strictObject({
        mother: z.strictObject({
          givenNames: Name.openapi({ example: "Sarah" }),
          familyName: Name.openapi({ example: "Hartley" }),
          aliases: z
            .array(
              z
                .strictObject({ givenNames: Name.nullish(), familyName: Name.nullish() })
                .refine((a) => a.givenNames || a.familyName, { message: "an alias needs a given name or a family name" }),
            )
            .max(MAX_ENQUIRY_ALIASES)
            .default([]),
          dateOfBirth: CalendarDate.nullish(),
        }),
        expectedDateOfDelivery: CalendarDate.nullish(),
      })
      .optional()
      .openapi({ description: "Instead of `child`: an unborn child, asked about by the expectant mother's details (seed 000 §2.151)" }),
    addresses: z
      .array(
        z.strictObject({
          line1: Name.openapi({ example: "12 High St" }),
          line2: z.string().trim().max(MAX.line).nullish(),
          town: z.string().trim().max(MAX.town).nullish(),
          postcode: Postcode.nullish(),
          current: z
            .boolean()
            .optional()
            .openapi({ description: "The child's present address; when none is marked, the first listed is taken as present" }),
        }),
      )
      .max(20)
      .default([]),
    carers: z
      .array(
        z.strictObject({
          givenNames: Name.nullish(),
          familyName: Name.nullish(),
          relationship: z.string().trim().max(MAX.label).nullish(),
          // The Pan Dorset note asks for "details of parents/carers/significant others with date of birth".
          dateOfBirth: CalendarDate.nullish(),
        }),
      )
      .max(20)
      .default([]),
    reason: z.string().trim().min(1).max(MAX.text).openapi({ example: "Child presented at A&E with unexplained bruising" }),
    callbackNumber: PhoneNumber,
  })
  .refine((e) => !!e.child !== !!e.unborn, { path: ["child"], message: "give exactly one of child and unborn" })
  .refine((e) => !e.child || e.child.dateOfBirth || e.addresses.length > 0, {
    path: ["child", "dateOfBirth"],
    message: "give the child's date of birth or an address",
  })
  .refine((e) => !e.unborn || e.unborn.mother.dateOfBirth || e.addresses.length > 0, {
    path: ["unborn", "mother", "dateOfBirth"],
    message: "give the mother's date of birth or an address",
  })
  .openapi("EnquiryCreate");
export type EnquiryCreate = z.infer<typeof EnquiryCreate>;

export const EnquiryCreated = z
  .object({
    id: IdOut,
    reference: ReferenceOut,
    status: z.enum(["awaiting_callback", "in_callback", "answered"]),
    receivedAt: InstantOut,
    outOfHours: z.boolean(),
    callbackNumberRecognised: z.boolean(),
    alsoCheckedWith: z
      .array(z.object({ authority: AuthorityCodeOut, id: IdOut, reference: ReferenceOut }))
      .max(10)
      .openapi({ description: "The same enquiry as checked by other authorities of this deployment, each answered by its own call-back" }),
    notCheckedWith: z
      .array(z.object({ authority: AuthorityCodeOut, reason: Text(MAX.shortText) }))
      .max(10)
      .openapi({ description: "Authorities asked for (alsoAuthorities, at most 10) that were not checked, and why" }),
  })
  .openapi("EnquiryCreated");

export const AnswerSchema = StoredAnswer.openapi("Answer");

const Details = {
  child: z
    .object({
      givenNames: NameOut,
      familyName: NameOut,
      aliases: z.array(z.object({ givenNames: NameOut.nullish(), familyName: NameOut.nullish() })).max(20),
      dateOfBirth: DateOut.nullable(),
      sex: enumOutOrNull(Sex.options),
      nhsNumber: z.string().max(10).nullable().openapi({ pattern: "^\\d{10}$", example: "9434765919" }),
    })
    .nullable()
    .openapi({ description: "Null for an enquiry about an unborn child" }),
  unborn: z
    .object({
      mother: z.object({
        givenNames: NameOut,
        familyName: NameOut,
        aliases: z.array(z.object({ givenNames: NameOut.nullish(), familyName: NameOut.nullish() })).max(20),
        dateOfBirth: DateOut.nullable(),
      }),
      expectedDateOfDelivery: DateOut.nullable(),
    })
    .nullable()
    .openapi({ description: "An enquiry about an unborn child: the expectant mother's details; null otherwise" }),
  addresses: z
    .array(
      z.object({
        line1: Text(MAX.line),
        line2: Text(MAX.line).nullish(),
        town: Text(MAX.town).nullish(),
        postcode: PostcodeOut.nullish(),
        current: z.boolean(),
      }),
    )
    .max(20),
  carers: z
    .array(
      z.object({
        givenNames: NameOut.nullish(),
        familyName: NameOut.nullish(),
        relationship: Text(MAX.label).nullish(),
        dateOfBirth: DateOut.nullish(),
      }),
    )
    .max(20),
  reason: Text(MAX.text),
};

export const EnquirySchema = z
  .object({
    id: IdOut,
    reference: ReferenceOut,
    authority: AuthorityCodeOut,
    status: z.enum(["awaiting_callback", "in_callback", "answered"]),
    receivedAt: InstantOut,
    outOfHours: z.boolean(),
    callbackNumber: PhoneOut,
    callbackNumberRecognised: z.boolean(),
    ...Details,
    answer: AnswerSchema.nullable().openapi({ description: "The answer as given on the call-back; null until then" }),
    answeredAt: InstantOut.nullable(),
    adviceGiven: Text(MAX.text).nullable(),
  })
  .openapi("Enquiry");

export const EnquiryDetailsSchema = z.object({ id: IdOut, reference: ReferenceOut, ...Details }).openapi("EnquiryDetails");
export const EnquirerSchema = z.object({ name: NameOut, profession: Text(MAX.label), agency: NameOut.nullable() }).openapi("Enquirer");

export const EnquiryIdParam = z.object({
  enquiryId: z
    .string()
    .min(1)
    .max(MAX.id)
    .openapi({ param: { name: "enquiryId", in: "path" } }),
});

/** An enquiry as the designated manager sees it on the child's record (no answer, no contact sheet). */
export const EnquiryAboutChild = z
  .object({
    id: IdOut,
    reference: ReferenceOut,
    receivedAt: InstantOut,
    status: z.enum(["awaiting_callback", "in_callback", "answered"]),
    outOfHours: z.boolean(),
    enquirer: z.object({ name: NameOut, profession: Text(MAX.label).nullable(), agency: NameOut.nullable() }),
    reason: Text(MAX.text),
    answeredAt: InstantOut.nullable(),
  })
  .openapi("EnquiryAboutChild");
export type { EnquiryDetails } from "../db/schema";
