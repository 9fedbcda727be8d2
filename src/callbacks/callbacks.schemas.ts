import { z } from "@hono/zod-openapi";
import { AnswerSchema, EnquirerSchema, EnquiryDetailsSchema } from "../enquiries/enquiries.schemas";
import { IdOut, InstantOut, MAX, NameOut, PhoneOut, ReferenceOut, Text, UserIdOut } from "../lib/fields";

export const CallbackItemSchema = z
  .object({
    id: IdOut.openapi({ description: "The enquiry's id" }),
    reference: ReferenceOut,
    status: z.enum(["awaiting_callback", "in_callback", "answered"]),
    receivedAt: InstantOut,
    outOfHours: z.boolean(),
    claimedBy: z.object({ userId: UserIdOut, name: NameOut }).nullable(),
    enquiry: EnquiryDetailsSchema,
    enquirer: EnquirerSchema,
    callbackNumber: PhoneOut,
    callbackNumberRecognised: z.boolean(),
    recognisedNumbers: z
      .array(PhoneOut)
      .max(500)
      .openapi({ description: "The enquirer's agency's recognised numbers: one of them is dialled" }),
    answer: AnswerSchema,
    answeredAt: InstantOut.nullable(),
    numberDialled: Text(MAX.phoneInput).nullable(),
    adviceGiven: Text(MAX.text).nullable(),
    personPosingRiskLinked: z.boolean().openapi({
      description:
        "The enquiry's present address or a carer matches a person notified as posing a risk to children: the designated manager has an alert and decides what is shared. Never shown to the enquirer.",
    }),
  })
  .openapi("CallbackItem");

/** The bodies of the officer's two decisions; the desk's forms are checked by the same schemas. */
export const ConfirmMatchBody = z.strictObject({ childId: z.string().min(1).max(MAX.id).nullable() });
export const CompleteCallbackBody = z.strictObject({
  numberDialled: z.string().trim().min(1).max(MAX.phoneInput),
  adviceGiven: z.string().trim().min(1).max(MAX.text),
});
