import { Hono } from "hono";
import type { FC } from "hono/jsx";
import { enquiriesAboutChild } from "../enquiries/enquiries.service";
import type { AppEnv } from "../http/app-env";
import { londonToday } from "../lib/dates";
import { formatForPeople } from "../lib/phone";
import type { Role } from "../lib/principal";
import { personRelationships } from "../lib/vocabulary";
import type { ChildRecord } from "../register/child-record";
import { PersonInput } from "../register/children.schemas";
import { getChild, patchChild, searchChildren } from "../register/children.service";
import { professionLabel } from "../register/professions";
import { action, field, page, render } from "./core";
import { H1, Page } from "./layout";
import { type DateParts, datePartsOf, parseDateParts } from "./manager-dates";
import { endReasonLabel } from "./manager-labels";
import type { WebSession } from "./session";
import {
  addressText,
  BackLink,
  Button,
  CsrfField,
  DateInput,
  day,
  ErrorSummary,
  type FieldErrors,
  fullName,
  humanise,
  Inset,
  Radios,
  Select,
  SummaryList,
  sexLabel,
  Table,
  Tag,
  TextInput,
  when,
} from "./ui";

const DM: Role[] = ["designated_manager"];
const RESULTS = 50;

type Found = Awaited<ReturnType<typeof searchChildren>>;

const born = (r: { dateOfBirth: string | null; expectedDateOfDelivery: string | null }) =>
  r.dateOfBirth ? day(r.dateOfBirth) : r.expectedDateOfDelivery ? `Unborn, expected ${day(r.expectedDateOfDelivery)}` : "Not known";

/**
 * The search is a form post: a name and a date of birth in a query string would stay in the
 * browser's history and in proxies' logs.
 */
const SearchPage: FC<{ session: WebSession; q: string; dob: DateParts; errors: FieldErrors; found?: Found }> = (p) => (
  <Page title="Search the register" session={p.session} active="/register" hasErrors={Object.keys(p.errors).length > 0}>
    <ErrorSummary errors={p.errors} />
    <H1 caption="Register">Search the register</H1>
    <form method="post" action="/register" novalidate>
      <CsrfField token={p.session.csrf} />
      <TextInput
        id="q"
        label="Name"
        hint="Any of the child's names or other names, or how they begin, for example ‘amy sm’"
        value={p.q}
        error={p.errors.q}
        spellcheck={false}
        width="30"
      />
      <DateInput
        id="dateOfBirth"
        legend="Date of birth (optional)"
        hint="For example, 27 3 2019"
        error={p.errors.dateOfBirth}
        value={p.dob}
      />
      <Button>Search</Button>
    </form>
    {p.found ? <Results found={p.found} /> : null}
  </Page>
);

const Results: FC<{ found: Found }> = ({ found }) => {
  const shown = found.slice(0, RESULTS);
  if (!shown.length)
    return (
      <p class="govuk-body" id="results">
        No children on your authorities' registers match that search.
      </p>
    );
  return (
    <div id="results">
      <h2 class="govuk-heading-m">{shown.length === 1 ? "1 child found" : `${shown.length} children found`}</h2>
      {found.length > RESULTS ? (
        <Inset>{`Only the first ${RESULTS} are shown. Add more of the name or the date of birth to narrow the search.`}</Inset>
      ) : null}
      <Table
        head={["Name", "Date of birth", "Authority", "Postcode"]}
        rows={shown.map((r) => [
          <a class="govuk-link" href={`/register/children/${r.id}`}>
            {fullName(r)}
          </a>,
          born(r),
          r.authority,
          r.postcode ?? "",
        ])}
      />
    </div>
  );
};

const OUTCOME: Record<string, string> = { plan: "Plan", no_plan: "No plan" };

const PlanSection: FC<{ plan: ChildRecord["plans"][number]; n: number }> = ({ plan, n }) => (
  <section class="govuk-!-margin-bottom-6" aria-labelledby={`plan-${n}`}>
    <h3 class="govuk-heading-s" id={`plan-${n}`}>
      {plan.endDate ? `Plan from ${day(plan.startDate)} to ${day(plan.endDate)}` : `Plan from ${day(plan.startDate)}`}{" "}
      {plan.endDate ? <Tag colour="grey">Ended</Tag> : <Tag colour="red">Current</Tag>}
    </h3>
    <SummaryList
      rows={[
        ["Categories", plan.categories.map(humanise).join(", ") || "None recorded"],
        ["Authority", plan.authority],
        ...(plan.temporary
          ? ([["Temporary registration", `Yes: the plan is ${plan.originatingAuthority ?? "another authority"}'s`]] as [string, string][])
          : []),
        ...(plan.endDate ? ([["Ended because", endReasonLabel(plan.endReason)]] as [string, string][]) : []),
      ]}
    />
    {/* A heading, not the table's caption: GOV.UK's captions are set larger than this plan's own heading. */}
    <h4 class="govuk-heading-s">Category history</h4>
    <Table
      head={["Category", "From", "To"]}
      rows={plan.categoryHistory.map((h) => [
        humanise(h.category),
        day(h.from),
        h.to ? day(h.to) : plan.endDate ? `End of plan (${day(plan.endDate)})` : "Now",
      ])}
    />
  </section>
);

type Asked = Awaited<ReturnType<typeof enquiriesAboutChild>>;

const RELATIONSHIP_LABEL: Record<(typeof personRelationships)[number], string> = {
  mother: "Mother",
  father: "Father",
  step_parent: "Step-parent",
  carer: "Carer",
  partner_of_parent: "Partner of a parent",
  sibling: "Brother or sister",
  other: "Other significant person",
};

/** The people on the record, each removable, and the form to add one (PATCH people, whole). */
const PeopleSection: FC<{ session: WebSession; r: ChildRecord; errors: FieldErrors; values: Record<string, string | null> }> = ({
  session,
  r,
  errors,
  values,
}) => (
  <section id="people">
    <h2 class="govuk-heading-m">Parents, carers and significant others</h2>
    {r.people.length ? (
      <Table
        head={["Name", "Other names", "Date of birth", "Relationship", "Lives with the child", ""]}
        rows={r.people.map((p) => [
          fullName(p),
          p.aliases.length ? p.aliases.map(fullName).join("; ") : "",
          p.dateOfBirth ? day(p.dateOfBirth) : "Not known",
          RELATIONSHIP_LABEL[p.relationship],
          p.livesWithChild ? "Yes" : "No",
          <form method="post" action={`/register/children/${r.id}/people/${p.id}/remove`}>
            <CsrfField token={session.csrf} />
            <Button secondary>{`Remove ${fullName(p)}`}</Button>
          </form>,
        ])}
      />
    ) : (
      <p class="govuk-body">No one recorded.</p>
    )}
    <details class="govuk-details" open={Object.keys(errors).length > 0}>
      <summary class="govuk-details__summary">
        <span class="govuk-details__summary-text">Add a person</span>
      </summary>
      <div class="govuk-details__text">
        <form method="post" action={`/register/children/${r.id}/people`} novalidate>
          <CsrfField token={session.csrf} />
          <TextInput
            id="person-givenNames"
            label="Given names"
            value={values["person-givenNames"] ?? ""}
            error={errors["person-givenNames"]}
            spellcheck={false}
          />
          <TextInput
            id="person-familyName"
            label="Family name"
            value={values["person-familyName"] ?? ""}
            error={errors["person-familyName"]}
            spellcheck={false}
          />
          <TextInput
            id="person-alias"
            label="Another family name they use (optional)"
            value={values["person-alias"] ?? ""}
            error={errors["person-alias"]}
            spellcheck={false}
          />
          <DateInput
            id="person-dateOfBirth"
            legend="Date of birth (optional)"
            error={errors["person-dateOfBirth"]}
            value={{
              day: values["person-dateOfBirth-day"] ?? "",
              month: values["person-dateOfBirth-month"] ?? "",
              year: values["person-dateOfBirth-year"] ?? "",
            }}
          />
          <Select
            id="person-relationship"
            label="Relationship to the child"
            value={values["person-relationship"] ?? ""}
            error={errors["person-relationship"]}
            choices={[{ value: "", label: "Choose" }, ...personRelationships.map((v) => ({ value: v, label: RELATIONSHIP_LABEL[v] }))]}
          />
          <Radios
            id="person-livesWithChild"
            legend="Lives with the child"
            small
            value={values["person-livesWithChild"] ?? null}
            error={errors["person-livesWithChild"]}
            choices={[
              { value: "yes", label: "Yes" },
              { value: "no", label: "No" },
            ]}
          />
          <Button>Add the person</Button>
        </form>
      </div>
    </details>
  </section>
);

const RecordPage: FC<{
  session: WebSession;
  r: ChildRecord;
  enquiries: Asked;
  errors?: FieldErrors;
  values?: Record<string, string | null>;
}> = ({ session, r, enquiries: asked, errors = {}, values = {} }) => {
  const current = r.addresses.filter((a) => a.current);
  return (
    // The title stays generic: browsers keep titles in history and tab lists.
    <Page title="A child's record" session={session} active="/register" hasErrors={Object.keys(errors).length > 0}>
      <ErrorSummary errors={errors} />
      <BackLink href="/register">Search the register</BackLink>
      <H1 caption="Child's record">{fullName(r)}</H1>
      <SummaryList
        id="child"
        rows={[
          [
            "Other names",
            r.aliases.length ? (
              <ul class="govuk-list">
                {r.aliases.map((a) => (
                  <li>{fullName(a)}</li>
                ))}
              </ul>
            ) : (
              "None recorded"
            ),
          ],
          [
            r.dateOfBirth || !r.expectedDateOfDelivery ? "Date of birth" : "Expected date of delivery",
            r.dateOfBirth ? day(r.dateOfBirth) : day(r.expectedDateOfDelivery),
          ],
          ["Sex", r.sex ? sexLabel(r.sex) : "Not recorded"],
          ["NHS number", r.nhsNumber ? r.nhsNumber.replace(/^(\d{3})(\d{3})(\d{4})$/, "$1 $2 $3") : "Not recorded"],
          ["Present address", current.length ? current.map((a) => addressText(a)).join("; ") : "Not recorded"],
          ["Authority", r.authority],
          ["Case system reference", r.externalId ?? "None"],
          ["Household note", r.householdNote ?? "None"],
        ]}
      />

      <PeopleSection session={session} r={r} errors={errors} values={values} />

      <h2 class="govuk-heading-m">Addresses</h2>
      {r.addresses.length ? (
        <Table
          head={["Address", "Postcode", "From", "To"]}
          rows={r.addresses.map((a) => [
            addressText(a, false),
            a.postcode ?? "",
            a.from ? day(a.from) : "Not known",
            a.current ? <Tag colour="green">Present address</Tag> : day(a.to),
          ])}
        />
      ) : (
        <p class="govuk-body">No addresses recorded.</p>
      )}

      <h2 class="govuk-heading-m">Child protection plans</h2>
      {r.plans.length ? (
        [...r.plans].reverse().map((p, i) => <PlanSection plan={p} n={i} />)
      ) : (
        <p class="govuk-body">The child has not been subject of a plan.</p>
      )}

      <h2 class="govuk-heading-m">Cases</h2>
      {r.cases.length ? (
        <Table
          head={["Type", "Opened", "Closed", "Key worker"]}
          rows={r.cases.map((k) => [
            humanise(k.type),
            day(k.openedOn),
            k.closedOn ? day(k.closedOn) : <Tag colour="blue">Open</Tag>,
            k.keyWorker
              ? `${k.keyWorker.name}${k.keyWorker.team ? ` (${k.keyWorker.team})` : ""}${k.keyWorker.phone ? `, ${formatForPeople(k.keyWorker.phone)}` : ""}`
              : "None",
          ])}
        />
      ) : (
        <p class="govuk-body">No cases recorded.</p>
      )}

      <h2 class="govuk-heading-m">Conferences</h2>
      {r.conferences.length ? (
        <Table
          head={["Type", "Held on", "Outcome"]}
          rows={r.conferences.map((c) => [humanise(c.type), day(c.heldOn), OUTCOME[c.outcome] ?? humanise(c.outcome)])}
        />
      ) : (
        <p class="govuk-body">No conferences recorded.</p>
      )}

      <h2 class="govuk-heading-m">Moves between authorities</h2>
      {r.movesIn.length || r.movesOut.length ? (
        <div>
          {r.movesIn.length ? (
            <Table
              caption="Moving in"
              head={["From", "Move", "Receiving-in conference due", "Outcome"]}
              rows={r.movesIn.map((m) => [
                <span>
                  {m.originatingAuthority.name} (custodian {formatForPeople(m.originatingAuthority.custodianPhone)})
                  <br />
                  Key worker {m.originatingKeyWorker.name}, {formatForPeople(m.originatingKeyWorker.phone)}
                </span>,
                `${m.status === "impending" ? "Expected" : "Moved"} ${day(m.moveDate)}`,
                day(m.receivingInConferenceDue),
                m.outcome ? `${humanise(m.outcome)} (${day(m.decidedOn)})` : <Tag colour="yellow">Awaited</Tag>,
              ])}
            />
          ) : null}
          {r.movesOut.length ? (
            <Table
              caption="Moving out"
              head={["To", "Move", "New address", "Receiving authority's decision"]}
              rows={r.movesOut.map((m) => [
                `${m.receivingAuthority.name} (custodian ${formatForPeople(m.receivingAuthority.custodianPhone)})`,
                day(m.moveDate),
                addressText(m.newAddress),
                m.outcome ? `${humanise(m.outcome)} (${day(m.confirmedOn)})` : <Tag colour="yellow">Awaiting confirmation</Tag>,
              ])}
            />
          ) : null}
        </div>
      ) : (
        <p class="govuk-body">No moves recorded.</p>
      )}

      <h2 class="govuk-heading-m">Enquiries about the child</h2>
      {asked.length ? (
        <Table
          id="enquiries"
          caption="Newest first"
          head={["Reference", "Received", "Enquirer", "Reason", "Answered"]}
          rows={asked.map((e) => [
            e.reference,
            <span>
              {when(e.receivedAt)} {e.outOfHours ? <Tag colour="purple">Out of hours</Tag> : null}
            </span>,
            `${e.enquirer.name}, ${professionLabel(e.enquirer.profession ?? "")}${e.enquirer.agency ? `, ${e.enquirer.agency}` : ""}`,
            e.reason,
            e.answeredAt ? when(e.answeredAt) : <Tag colour="yellow">Not yet</Tag>,
          ])}
        />
      ) : (
        <p class="govuk-body">No enquiries have been matched to this child.</p>
      )}
    </Page>
  );
};

export const registerPages = new Hono<AppEnv>()
  .get(
    "/register",
    page(DM, (c, s) => render(c, <SearchPage session={s} q="" dob={{ day: "", month: "", year: "" }} errors={{}} />)),
  )
  .post(
    "/register",
    action(DM, async (c, s, ctx, form) => {
      const q = field(form, "q");
      const dob = datePartsOf((n) => field(form, n), "dateOfBirth");
      const date = parseDateParts(dob, "Date of birth");
      const errors: FieldErrors = {};
      if (!date.ok) errors.dateOfBirth = date.error;
      else if (date.value && date.value > londonToday(ctx.clock.now())) errors.dateOfBirth = "Date of birth must be today or in the past";
      if (q && q.length > 200) errors.q = "Name must be 200 characters or fewer";
      if (!q && date.ok && !date.value) errors.q = "Enter a name or a date of birth";
      if (Object.keys(errors).length || !date.ok) return render(c, <SearchPage session={s} q={q ?? ""} dob={dob} errors={errors} />, 422);
      const found = await searchChildren(ctx, { q: q ?? undefined, dateOfBirth: date.value ?? undefined, limit: RESULTS });
      return render(c, <SearchPage session={s} q={q ?? ""} dob={dob} errors={{}} found={found} />);
    }),
  )
  .get(
    "/register/children/:id",
    page(DM, async (c, s, ctx) => {
      const record = await getChild(ctx, c.req.param("id") ?? "");
      const asked = await enquiriesAboutChild(ctx, record.id);
      return render(c, <RecordPage session={s} r={record} enquiries={asked} />);
    }),
  )
  .post(
    "/register/children/:id/people",
    action(DM, async (c, s, ctx, form) => {
      const id = c.req.param("id") ?? "";
      const f = (n: string) => field(form, n);
      const dob = datePartsOf(f, "person-dateOfBirth");
      const date = parseDateParts(dob, "Date of birth");
      const errors: FieldErrors = {};
      if (!date.ok) errors["person-dateOfBirth"] = date.error;
      else if (date.value && date.value > londonToday(ctx.clock.now()))
        errors["person-dateOfBirth"] = "Date of birth must be today or in the past";
      const lives = f("person-livesWithChild");
      const alias = f("person-alias");
      const person = PersonInput.safeParse({
        givenNames: f("person-givenNames") ?? "",
        familyName: f("person-familyName") ?? "",
        aliases: alias ? [{ familyName: alias }] : [],
        dateOfBirth: date.ok ? date.value : null,
        relationship: f("person-relationship") ?? undefined,
        livesWithChild: lives === "yes" ? true : lives === "no" ? false : undefined,
      });
      if (!person.success)
        for (const issue of person.error.issues) {
          const key = `person-${String(issue.path[0] ?? "givenNames")}`;
          errors[key] ??= PERSON_MESSAGES[key] ?? "Check this answer";
        }
      const record = await getChild(ctx, id);
      if (Object.keys(errors).length || !person.success) {
        const values = Object.fromEntries(
          Object.keys(form)
            .filter((k) => k.startsWith("person-"))
            .map((k) => [k, f(k)]),
        );
        return render(
          c,
          <RecordPage session={s} r={record} enquiries={await enquiriesAboutChild(ctx, id)} errors={errors} values={values} />,
          422,
        );
      }
      await patchChild(ctx, id, { people: [...record.people.map(({ id: _id, ...p }) => p), person.data] });
      return c.redirect(`/register/children/${id}#people`, 303);
    }),
  )
  .post(
    "/register/children/:id/people/:personId/remove",
    action(DM, async (c, _s, ctx) => {
      const id = c.req.param("id") ?? "";
      const record = await getChild(ctx, id);
      const kept = record.people.filter((p) => p.id !== c.req.param("personId"));
      if (kept.length !== record.people.length) await patchChild(ctx, id, { people: kept.map(({ id: _id, ...p }) => p) });
      return c.redirect(`/register/children/${id}#people`, 303);
    }),
  );

const PERSON_MESSAGES: Record<string, string> = {
  "person-givenNames": "Enter the person's given names",
  "person-familyName": "Enter the person's family name",
  "person-aliases": "Enter the other family name as letters",
  "person-relationship": "Choose the person's relationship to the child",
  "person-livesWithChild": "Say whether the person lives with the child",
};
