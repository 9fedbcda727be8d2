import { z } from "@hono/zod-openapi";
import { CalendarDate } from "../lib/dates";
import { AuthorityCodeOut, DateOut, IdOut, InstantOut, int32, MAX, NameOut, PhoneOut, PostcodeOut, Text as TextOut } from "../lib/fields";
import { PhoneNumber } from "../lib/phone";
import { AddressInput, AliasInput } from "../register/children.schemas";

const Text = (max: number) => z.string().trim().min(1).max(max);

const personFields = {
  givenNames: Text(MAX.name).openapi({ example: "Dean" }),
  familyName: Text(MAX.name).openapi({ example: "Cole" }),
  aliases: z.array(AliasInput).max(20),
  dateOfBirth: CalendarDate.nullish(),
  addresses: z.array(AddressInput).max(50),
  notifiedBy: z.strictObject({
    agency: Text(MAX.name).openapi({ example: "Staffordshire Police (MAPPA)" }),
    reference: z.string().trim().min(1).max(MAX.id).nullish(),
    phone: PhoneNumber,
  }),
  summary: Text(MAX.text).openapi({ description: "Why the person may pose a risk, as notified" }),
  notifiedOn: CalendarDate,
  reviewOn: CalendarDate.nullish(),
};

/** Seed 000 §2.153: a notification of a person who may pose a risk of significant harm to children. */
export const RiskPersonCreate = z
  .strictObject({
    authority: z.string().min(1).max(MAX.authority).openapi({ example: "STAFFS" }),
    ...personFields,
    aliases: personFields.aliases.default([]),
    addresses: personFields.addresses.default([]),
  })
  .openapi("PersonPosingRiskCreate");
export type RiskPersonCreate = z.infer<typeof RiskPersonCreate>;

/** Lists given in a patch replace the recorded ones whole. */
export const RiskPersonPatch = z
  .strictObject({
    givenNames: personFields.givenNames.optional(),
    familyName: personFields.familyName.optional(),
    aliases: personFields.aliases.optional(),
    dateOfBirth: personFields.dateOfBirth,
    addresses: personFields.addresses.optional(),
    notifiedBy: personFields.notifiedBy.optional(),
    summary: personFields.summary.optional(),
    notifiedOn: personFields.notifiedOn.optional(),
    reviewOn: personFields.reviewOn,
  })
  .refine((p) => Object.values(p).some((v) => v !== undefined), { message: "give at least one field to change" })
  .openapi("PersonPosingRiskPatch");
export type RiskPersonPatch = z.infer<typeof RiskPersonPatch>;

export const RiskPersonSchema = z
  .object({
    id: IdOut,
    authority: AuthorityCodeOut,
    givenNames: NameOut,
    familyName: NameOut,
    aliases: z.array(z.object({ givenNames: NameOut.nullable(), familyName: NameOut.nullable() })).max(20),
    dateOfBirth: DateOut.nullable(),
    addresses: z
      .array(
        z.object({
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
    notifiedBy: z.object({ agency: NameOut, reference: TextOut(MAX.id).nullable(), phone: PhoneOut }),
    summary: TextOut(MAX.text),
    notifiedOn: DateOut,
    reviewOn: DateOut.nullable(),
    linkedEnquiries: int32().openapi({ description: "How many enquiries have been linked to the person" }),
    createdAt: InstantOut,
    updatedAt: InstantOut,
  })
  .openapi("PersonPosingRisk");
