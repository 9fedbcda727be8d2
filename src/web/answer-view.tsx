import type { FC } from "hono/jsx";
import type { Answer } from "../enquiries/answer";
import { formatForPeople } from "../lib/phone";
import { day, humanise, SummaryList, Tag, when } from "./ui";

const categories = (cs: string[]) => cs.map(humanise).join(", ") || "None recorded";
/** "neglect", "physical abuse and neglect", "a, b and c": as it is said aloud. */
const spoken = (cs: string[]) => {
  const words = cs.map((c) => humanise(c).toLowerCase());
  return words.length > 1 ? `${words.slice(0, -1).join(", ")} and ${words[words.length - 1]}` : (words[0] ?? "none recorded");
};
const categoryPhrase = (cs: string[]) => `${cs.length === 1 ? "category" : "categories"} of ${spoken(cs)}`;
const phone = (n: string | null) => (n ? formatForPeople(n) : null);

/** Whose a temporary plan is, and who to ring there (seed 004 §72). */
function origin(o: NonNullable<Answer["currentPlan"]>["originatingAuthority"]): string {
  if (!o) return "the plan is another authority's";
  const custodian = o.custodianPhone ? ` (register custodian on ${phone(o.custodianPhone)})` : "";
  const worker = o.keyWorker
    ? `; the key worker there is ${o.keyWorker.name}${o.keyWorker.phone ? `, on ${phone(o.keyWorker.phone)}` : ""}`
    : "";
  return `the plan is ${o.name}'s${custodian}${worker}`;
}

const MATCH = {
  known: "Known to children's social care",
  possible: "Possibly known: to be confirmed on the call-back",
  not_known: "Not known",
} as const;

/** The answer as the register gives it, for whoever may read it. */
export const AnswerSummary: FC<{ answer: Answer }> = ({ answer: a }) => (
  <SummaryList
    id="answer"
    rows={[
      ["Is the child known?", <span>{MATCH[a.match]}</span>],
      ...(a.child ? ([["Child", `${a.child.name}, born ${day(a.child.dateOfBirth)}`]] as [string, string][]) : []),
      [
        "Child protection plan now",
        a.currentPlan ? (
          <span>
            <Tag colour="red">Subject of a plan</Tag> since {day(a.currentPlan.startDate)}: {categories(a.currentPlan.categories)}
            {a.currentPlan.temporary ? ` (temporary registration; ${origin(a.currentPlan.originatingAuthority)})` : ""}
            {a.currentPlan.movingTo
              ? `. Moving to ${a.currentPlan.movingTo.authority} on ${day(a.currentPlan.movingTo.moveDate)}, awaiting their confirmation.`
              : ""}
          </span>
        ) : (
          "No"
        ),
      ],
      [
        "Previous plans",
        a.previousPlans.length ? (
          <ul class="govuk-list">
            {a.previousPlans.map((p) => (
              <li>
                {day(p.startDate)} to {day(p.endDate)}: {categories(p.categories)}
              </li>
            ))}
          </ul>
        ) : (
          "None"
        ),
      ],
      [
        "Conferences that decided no plan",
        a.conferencesWithoutPlan.length ? a.conferencesWithoutPlan.map((c) => day(c.heldOn)).join(", ") : "None",
      ],
      [
        "Case with children's social care",
        <span>
          {a.case.status === "open" ? "Open" : a.case.status === "closed" ? "Closed" : "Never open"}
          {a.case.keyWorker
            ? `. Key worker: ${a.case.keyWorker.name}${a.case.keyWorker.team ? `, ${a.case.keyWorker.team}` : ""}${a.case.keyWorker.phone ? `, ${phone(a.case.keyWorker.phone)}` : ""}`
            : ""}
        </span>,
      ],
      ...(a.movedTo ? ([["Moved", `Handed over to ${a.movedTo.authority} on ${day(a.movedTo.on)}`]] as [string, string][]) : []),
      ...(a.householdInformation ? ([["About the household", a.householdInformation]] as [string, string][]) : []),
      ...(a.earlierEnquiries.length
        ? ([
            [
              "Earlier enquiries about this child",
              <ul class="govuk-list">
                {a.earlierEnquiries.map((e) => (
                  <li>
                    {e.reference}, {when(e.receivedAt)}, {humanise(e.profession)}
                    {e.agency ? ` (${e.agency})` : ""}
                  </li>
                ))}
              </ul>,
            ],
          ] as [string, unknown][] as [string, string][])
        : []),
      ["Advice", a.advice],
    ]}
  />
);

/** What the duty officer reads out on the call-back, in the order the enquirer needs it. */
export function answerScript(a: Answer, reference: string, officer: string): string[] {
  const lines = [`This is ${officer}, returning your call about enquiry ${reference}.`];
  if (a.match === "possible") {
    lines.push("Before I can tell you anything, I need to check the child's details with you.");
    return lines;
  }
  if (a.match === "not_known") {
    lines.push("The child you asked about is not known to children's social care in this authority.");
  } else {
    const name = a.child ? a.child.name : "The child";
    if (a.currentPlan)
      lines.push(
        `${name} is subject of a child protection plan, since ${day(a.currentPlan.startDate)}, under the ${categoryPhrase(a.currentPlan.categories)}.`,
      );
    else lines.push(`${name} is not subject of a child protection plan at present.`);
    if (a.currentPlan?.temporary) lines.push(`This is a temporary registration; ${origin(a.currentPlan.originatingAuthority)}.`);
    for (const p of a.previousPlans)
      lines.push(`${name} was subject of a plan from ${day(p.startDate)} to ${day(p.endDate)}, under the ${categoryPhrase(p.categories)}.`);
    for (const c of a.conferencesWithoutPlan)
      lines.push(`A child protection conference on ${day(c.heldOn)} decided that no plan was needed.`);
    if (a.case.status === "open")
      lines.push(
        `The case is open${a.case.keyWorker ? `; the key worker is ${a.case.keyWorker.name}${a.case.keyWorker.phone ? `, on ${phone(a.case.keyWorker.phone)}` : ""}` : ""}.`,
      );
    else if (a.case.status === "closed")
      lines.push(`The case was open and is now closed${a.case.keyWorker ? `; the last key worker was ${a.case.keyWorker.name}` : ""}.`);
    if (a.movedTo) lines.push(`The child has moved to ${a.movedTo.authority} (from ${day(a.movedTo.on)}).`);
    if (a.householdInformation) lines.push(`About the household: ${a.householdInformation}`);
  }
  if (a.earlierEnquiries.length)
    lines.push(
      `There ${a.earlierEnquiries.length === 1 ? "has been one earlier enquiry" : `have been ${a.earlierEnquiries.length} earlier enquiries`} about this child: ${a.earlierEnquiries.map((e) => `${humanise(e.profession).toLowerCase()}${e.agency ? ` of ${e.agency}` : ""} on ${when(e.receivedAt)}`).join("; ")}.`,
    );
  lines.push(a.advice);
  return lines;
}
