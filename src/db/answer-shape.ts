import { z } from "@hono/zod-openapi";
import { AuthorityCodeOut, DateOut, enumOut, IdOut, InstantOut, MAX, NameOut, PhoneOut, ReferenceOut, Text } from "../lib/fields";
import { planCategories } from "../lib/vocabulary";

/*
 * The answer to an enquiry, defined once: the zod schema the API documents (as `Answer`), whose
 * inferred type the `answer` and `answer_given` columns hold and every service passes around.
 * It sits beside the table schema because the columns are typed with it.
 */

/** A candidate's match score, 0 to 1. */
export const Score = z.number().min(0).max(1);
/** Why a child is a candidate: `name:exact`, `dob:exact`, `address`, `nhs_number`… */
export const Reasons = z.array(Text(MAX.label)).max(10);
const Categories = z.array(enumOut(planCategories)).max(planCategories.length);
/** The most candidates an answer lists (the matcher keeps ten near ones; a clean match of more is not seen). */
export const MAX_CANDIDATES = 100;
/** The most earlier enquiries an answer recalls. */
const MAX_EARLIER = 1000;
/** The most plans or conferences of one child an answer lists. */
export const MAX_HISTORY = 200;

export const StoredAnswer = z.object({
  match: z.enum(["known", "possible", "not_known"]),
  candidates: z
    .array(z.object({ childId: IdOut, name: Text(2 * MAX.name + 1), dateOfBirth: DateOut.nullable(), score: Score, reasons: Reasons }))
    .max(MAX_CANDIDATES),
  child: z.object({ id: IdOut, name: Text(2 * MAX.name + 1), dateOfBirth: DateOut.nullable(), authority: AuthorityCodeOut }).nullable(),
  currentPlan: z
    .object({
      startDate: DateOut,
      categories: Categories,
      temporary: z.boolean(),
      originatingAuthority: z
        .object({
          name: NameOut,
          custodianPhone: PhoneOut.nullable(),
          keyWorker: z.object({ name: NameOut, phone: PhoneOut.nullable() }).nullable(),
        })
        .nullable()
        .openapi({
          description:
            "For a temporary plan (seed 004 §72): the authority whose plan it is, its register custodian's number and the child's key worker there",
        }),
      movingTo: z
        .object({ authority: NameOut, moveDate: DateOut })
        .nullable()
        .openapi({ description: "A move out awaiting the receiving authority's confirmation: the plan is current until then" }),
    })
    .nullable(),
  previousPlans: z.array(z.object({ startDate: DateOut, endDate: DateOut, categories: Categories })).max(MAX_HISTORY),
  conferencesWithoutPlan: z.array(z.object({ heldOn: DateOut })).max(MAX_HISTORY),
  case: z.object({
    status: z.enum(["open", "closed", "never"]),
    keyWorker: z.object({ name: NameOut, team: NameOut.nullable(), phone: PhoneOut.nullable() }).nullable(),
  }),
  householdInformation: Text(MAX.text).nullable(),
  earlierEnquiries: z
    .array(z.object({ reference: ReferenceOut, receivedAt: InstantOut, agency: NameOut.nullable(), profession: Text(MAX.label) }))
    .max(MAX_EARLIER),
  advice: Text(MAX.text),
  movedTo: z.object({ authority: AuthorityCodeOut, on: DateOut }).nullable().optional().openapi({
    description:
      "A child this authority handed over to another authority of the service: where and when (its own plans are listed as previous)",
  }),
});

export type Answer = z.infer<typeof StoredAnswer>;
export type OriginatingAuthority = NonNullable<NonNullable<Answer["currentPlan"]>["originatingAuthority"]>;
export type EarlierEnquiry = Answer["earlierEnquiries"][number];
