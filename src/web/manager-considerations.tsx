import type { Context } from "hono";
import { Hono } from "hono";
import type { FC } from "hono/jsx";
import { ConsiderationDecision } from "../considerations/considerations.schemas";
import { decideConsideration, listConsiderations } from "../considerations/considerations.service";
import type { Ctx } from "../domain/ctx";
import type { AppEnv } from "../http/app-env";
import type { Role } from "../lib/principal";
import { professionLabel } from "../register/professions";
import { action, type Form, field, page, render } from "./core";
import { H1, Page } from "./layout";
import type { WebSession } from "./session";
import {
  addressText,
  Banner,
  Button,
  CsrfField,
  day,
  ErrorSummary,
  enquiredPerson,
  type FieldErrors,
  fullName,
  Radios,
  SummaryList,
  sexLabel,
  Table,
  Tag,
  Textarea,
  when,
} from "./ui";

const DM: Role[] = ["designated_manager"];
// Out of office hours the out-of-hours service reads the considerations (the service answers 403 in hours).
const READERS: Role[] = ["designated_manager", "duty_officer"];

type Consideration = Awaited<ReturnType<typeof listConsiderations>>[number];

const DECISIONS = [
  { value: "child_in_need", label: "The child is, or may be, a child in need" },
  { value: "not_child_in_need", label: "The child is not a child in need" },
  { value: "referred", label: "Referred on (for example to the MASH or early help)" },
] as const;
const DECISION_LABEL: Record<string, string> = Object.fromEntries(DECISIONS.map((d) => [d.value, d.label]));

/** A posted decision that did not pass: which consideration it was for, what was typed and what is wrong. */
interface Attempt {
  id: string;
  decision: string | null;
  note: string | null;
  errors: FieldErrors;
}

/** The child as the enquirer described them: it is what the decision is made on, so all of it is shown. */
const Described: FC<{ e: Consideration["enquiries"][number] }> = ({ e }) => {
  const p = enquiredPerson(e);
  return (
    <ul class="govuk-list govuk-!-margin-bottom-0">
      <li>
        {p.unborn ? "Unborn child of " : null}
        <strong>{fullName(p)}</strong>
      </li>
      {p.aliases.length ? <li>Also known as {p.aliases.map(fullName).join(", ")}</li> : null}
      <li>
        {p.unborn ? "Mother born" : "Born"} {p.dateOfBirth ? day(p.dateOfBirth) : "(not given)"}
      </li>
      {p.unborn?.expectedDateOfDelivery ? <li>Expected {day(p.unborn.expectedDateOfDelivery)}</li> : null}
      {p.sex ? <li>Sex: {sexLabel(p.sex)}</li> : null}
      {p.nhsNumber ? <li>NHS number {p.nhsNumber}</li> : null}
      {e.addresses.map((a) => (
        <li>{addressText(a)}</li>
      ))}
    </ul>
  );
};

/*
 * Several decision forms share the page, so each field's id carries its consideration's id
 * (labels and error links must find the right box) while its name stays `decision` / `note`,
 * as the API names them.
 */
const DecisionFields: FC<{ c: Consideration; attempt: Attempt | null }> = ({ c, attempt }) => (
  <>
    <Radios
      id={`decision-${c.id}`}
      name="decision"
      legend="Decision"
      small
      choices={[...DECISIONS]}
      value={attempt?.decision ?? null}
      error={attempt?.errors[`decision-${c.id}`]}
    />
    <Textarea
      id={`note-${c.id}`}
      name="note"
      label="Note of the decision"
      hint="What you decided and why, and who you referred the child to"
      rows={4}
      value={attempt?.note ?? null}
      error={attempt?.errors[`note-${c.id}`]}
    />
  </>
);

const Enquiries: FC<{ c: Consideration }> = ({ c }) => (
  <Table
    caption={c.enquiries.length === 1 ? "1 enquiry" : `${c.enquiries.length} enquiries`}
    head={["Reference", "Received", "Enquirer", "The child as described", "Reason"]}
    rows={c.enquiries.map((e) => [
      e.possibleLink ? (
        <span>
          {e.reference}
          <br />
          <Tag colour="yellow">Possible link</Tag>
        </span>
      ) : (
        e.reference
      ),
      when(e.receivedAt),
      <span>
        {e.enquirer.name}
        <br />
        {professionLabel(e.enquirer.profession)}, {e.enquirer.agency}
      </span>,
      <Described e={e} />,
      e.reason,
    ])}
  />
);

const OpenConsideration: FC<{ c: Consideration; n: number; csrf: string; attempt: Attempt | null; decides: boolean }> = ({
  c,
  n,
  csrf,
  attempt,
  decides,
}) => {
  const mine = attempt?.id === c.id ? attempt : null;
  return (
    <section class="govuk-!-margin-bottom-9" aria-labelledby={`consideration-${c.id}`}>
      <h2 class="govuk-heading-m" id={`consideration-${c.id}`}>
        {`Consideration ${n}: opened ${when(c.openedAt)}`}
      </h2>
      <p class="govuk-body-s">Authority: {c.authority}</p>
      <Enquiries c={c} />
      {decides ? (
        <form method="post" action={`/considerations/${c.id}/decide`} novalidate>
          <CsrfField token={csrf} />
          <DecisionFields c={c} attempt={mine} />
          <Button>Record decision</Button>
        </form>
      ) : (
        <p class="govuk-inset-text">The designated manager decides whether this is a child in need.</p>
      )}
    </section>
  );
};

const ConsiderationsPage: FC<{
  session: WebSession;
  open: Consideration[];
  /** null for the out-of-hours service, which does not see decisions. */
  decided: Consideration[] | null;
  attempt: Attempt | null;
  justDecided: boolean;
}> = (p) => (
  <Page title="Child-in-need considerations" session={p.session} active="/considerations" hasErrors={!!p.attempt}>
    <ErrorSummary errors={p.attempt?.errors ?? {}} />
    {p.justDecided ? <Banner title="Decision recorded" success /> : null}
    <H1>Child-in-need considerations</H1>
    <p class="govuk-body">
      A second enquiry about a child who is not an open case (not known to children's social care, or known with a closed case or none)
      opens a consideration. Decide whether the child is, or may be, a child in need. An enquiry marked as a possible link was linked by a
      near miss (a name or date of birth a slip apart): it may be another child.
    </p>
    {p.open.length ? (
      p.open.map((c, i) => (
        <OpenConsideration
          c={c}
          n={i + 1}
          csrf={p.session.csrf}
          attempt={p.attempt}
          decides={p.session.principal.roles.includes("designated_manager")}
        />
      ))
    ) : (
      <p class="govuk-body" id="none-open">
        There are no open considerations.
      </p>
    )}
    {p.decided === null ? null : <h2 class="govuk-heading-l">Decided</h2>}
    {p.decided === null ? null : p.decided.length ? (
      p.decided.map((c) => (
        <section class="govuk-!-margin-bottom-6">
          <h3 class="govuk-heading-s">{`Decided ${when(c.decidedAt)}`}</h3>
          <SummaryList
            rows={[
              ["Decision", c.decision ? (DECISION_LABEL[c.decision] ?? c.decision) : ""],
              ["Note", c.note ?? ""],
              ["Opened", when(c.openedAt)],
              ["Enquiries", c.enquiries.map((e) => e.reference).join(", ")],
            ]}
          />
        </section>
      ))
    ) : (
      <p class="govuk-body">No considerations have been decided yet.</p>
    )}
  </Page>
);

async function considerationsPage(c: Context<AppEnv>, s: WebSession, ctx: Ctx, attempt: Attempt | null, status: 200 | 422 = 200) {
  const open = await listConsiderations(ctx, { status: "open", limit: 100 });
  // The manager looks for what was decided last.
  // Decisions and their notes are the manager's: the out-of-hours service sees the open ones only.
  const decided = s.principal.roles.includes("designated_manager")
    ? (await listConsiderations(ctx, { status: "decided", limit: 20, newestFirst: true })).slice(0, 20)
    : null;
  return render(
    c,
    <ConsiderationsPage session={s} open={open} decided={decided} attempt={attempt} justDecided={c.req.query("decided") === "1"} />,
    status,
  );
}

/** The form against the API's own schema, with GOV.UK messages on the consideration's own fields. */
function checkDecision(id: string, form: Form) {
  const decision = field(form, "decision");
  const note = field(form, "note");
  const parsed = ConsiderationDecision.safeParse({ decision: decision ?? undefined, note: note ?? undefined });
  if (parsed.success) return { ok: true as const, data: parsed.data };
  const errors: FieldErrors = {};
  for (const issue of parsed.error.issues) {
    if (issue.path[0] === "decision") errors[`decision-${id}`] ??= "Select a decision";
    else if (issue.path[0] === "note")
      errors[`note-${id}`] ??= note ? "The note must be 4000 characters or fewer" : "Enter a note of the decision";
  }
  return { ok: false as const, attempt: { id, decision, note, errors } };
}

export const considerationPages = new Hono<AppEnv>()
  .get(
    "/considerations",
    page(READERS, (c, s, ctx) => considerationsPage(c, s, ctx, null)),
  )
  .post(
    "/considerations/:id/decide",
    action(DM, async (c, s, ctx, form) => {
      const id = c.req.param("id") ?? "";
      const checked = checkDecision(id, form);
      if (!checked.ok) return considerationsPage(c, s, ctx, checked.attempt, 422);
      await decideConsideration(ctx, id, checked.data);
      return c.redirect("/considerations?decided=1", 303);
    }),
  );
