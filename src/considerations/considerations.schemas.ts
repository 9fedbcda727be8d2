import { z } from "@hono/zod-openapi";
import { considerationDecisions } from "../db/schema";
import { EnquirerSchema, EnquiryDetailsSchema } from "../enquiries/enquiries.schemas";
import { AuthorityCodeOut, IdOut, InstantOut, MAX, ReferenceOut, Text } from "../lib/fields";

export const ConsiderationSchema = z
  .object({
    id: IdOut,
    authority: AuthorityCodeOut,
    status: z.enum(["open", "decided"]),
    openedAt: InstantOut,
    decidedAt: InstantOut.nullable(),
    decision: z.enum(considerationDecisions).nullable(),
    note: Text(MAX.text).nullable(),
    enquiries: z
      .array(
        z.object({
          id: IdOut,
          reference: ReferenceOut,
          receivedAt: InstantOut,
          enquirer: EnquirerSchema,
          child: EnquiryDetailsSchema.shape.child,
          unborn: EnquiryDetailsSchema.shape.unborn,
          addresses: EnquiryDetailsSchema.shape.addresses,
          reason: Text(MAX.text),
          possibleLink: z.boolean().openapi({
            description:
              "Linked only by the near-miss rules (a name or date of birth a slip apart): it may be another child, for the manager to judge",
          }),
        }),
      )
      .max(1000)
      .openapi({ description: "The enquiries about the child (not known, or not an open case) that led to the consideration" }),
  })
  .openapi("CinConsideration");

/** A designated manager's decision; the desk's form is checked against the same schema. */
export const ConsiderationDecision = z.strictObject({
  decision: z.enum(considerationDecisions),
  note: z.string().trim().min(1).max(MAX.text),
});
