import type { Context } from "hono";
import { Hono } from "hono";
import { CompleteCallbackBody } from "../callbacks/callbacks.schemas";
import {
  type CallbackItem,
  claimCallback,
  compareCandidates,
  completeCallback,
  confirmMatch,
  getCallback,
  listQueue,
  queueItems,
  queueSignal,
} from "../callbacks/callbacks.service";
import type { Ctx } from "../domain/ctx";
import type { AppEnv } from "../http/app-env";
import { AppError } from "../lib/errors";
import { formatForPeople } from "../lib/phone";
import { professionLabel } from "../register/professions";
import { AnswerSummary, answerScript } from "./answer-view";
import { action, field, page, render } from "./core";
import { H1, Page } from "./layout";
import type { WebSession } from "./session";
import {
  addressText,
  BackLink,
  Button,
  CsrfField,
  day,
  ErrorSummary,
  enquiredPerson,
  type FieldErrors,
  fullName,
  humanise,
  Inset,
  Radios,
  SummaryList,
  sexLabel,
  Table,
  Tag,
  Textarea,
  Warning,
  when,
} from "./ui";

type Item = Awaited<ReturnType<typeof getCallback>>;
type Comparison = Awaited<ReturnType<typeof compareCandidates>>;

const QUEUE_LIMIT = 100;

/** The two tables of the queue: what the page shows and what the live update swaps in. */
async function QueueTables({ ctx }: { ctx: Ctx }) {
  const [waiting, claimed] = await Promise.all([
    listQueue(ctx, { status: "pending", limit: QUEUE_LIMIT }).then(queueItems),
    listQueue(ctx, { status: "claimed", limit: QUEUE_LIMIT }).then(queueItems),
  ]);
  const row = (i: CallbackItem) => [
    <a class="govuk-link" href={`/duty/callbacks/${i.id}`}>
      {i.reference}
    </a>,
    when(i.receivedAt),
    `${professionLabel(i.enquirer.profession ?? "")}${i.enquirer.agency ? `, ${i.enquirer.agency}` : ""}`,
    <span>
      {i.outOfHours ? <Tag colour="purple">Out of hours</Tag> : null}{" "}
      {!i.callbackNumberRecognised ? <Tag colour="orange">Number not recognised</Tag> : null}{" "}
      {i.answer.match === "possible" ? <Tag colour="yellow">Possible match</Tag> : null}
    </span>,
    ...(i.claimedBy ? [i.claimedBy.name] : []),
  ];
  return (
    <div>
      <h2 class="govuk-heading-m">{`Waiting for a call-back (${waiting.length > QUEUE_LIMIT ? `${QUEUE_LIMIT}+` : waiting.length})`}</h2>
      {waiting.length ? (
        <Table
          caption="Oldest first"
          head={["Reference", "Received", "Enquirer", "Flags"]}
          rows={waiting.slice(0, QUEUE_LIMIT).map(row)}
          id="waiting"
        />
      ) : (
        <p class="govuk-body">No enquiries are waiting.</p>
      )}
      <h2 class="govuk-heading-m">Being answered</h2>
      {claimed.length ? (
        <Table
          head={["Reference", "Received", "Enquirer", "Flags", "Officer"]}
          rows={claimed.slice(0, QUEUE_LIMIT).map(row)}
          id="claimed"
        />
      ) : (
        <p class="govuk-body">None.</p>
      )}
    </div>
  );
}

const REASONS: Record<string, string> = {
  "name:slip": "a name one letter different",
  "name:nickname": "a short form of a name",
  "name:phonetic": "a name that sounds the same",
  "dob:swapped": "day and month swapped",
  carer: "a parent or carer given is on the record",
  mother: "an unborn child's record, by the expectant mother's details (the name and date reasons are hers)",
  "dob:year_digit": "one digit of the year different",
  "dob:year_one_out": "the year one out",
  "dob:transposed": "two digits of the date the other way round",
  "dob:day_one_out": "the day one out",
  "dob:month_one_out": "the month one out",
  "name:exact": "the same name",
  "name:alias": "the same as a name the child is also known by",
  "name:middle": "a middle name used as the first",
  "name:partial": "part of the name the same",
  "dob:exact": "the same date of birth",
  "dob:missing": "no date of birth to compare",
  "dob:different": "a different date of birth",
  address: "lives or lived at an address given",
  nhs_number: "the same NHS number",
  nhs_number_differs: "a different NHS number",
};
const reasonText = (r: string) => REASONS[r] ?? humanise(r.replace(/:/g, " "));

const norm = (s: string | null | undefined) => (s ?? "").toLowerCase().replace(/\s+/g, " ").trim();

/** A cell of the comparison, marked (in colour and in words) where the register differs from what the enquirer said. */
function Cell({ value, against }: { value: string; against: string }) {
  const differs = norm(value) !== "" && norm(against) !== "" && norm(value) !== norm(against);
  return differs ? (
    <span class="app-differs">
      {value} <span class="govuk-visually-hidden">(differs from the enquiry)</span>
    </span>
  ) : (
    <span>{value || "Not recorded"}</span>
  );
}

const aliasText = (as: { givenNames?: string | null; familyName?: string | null }[]) => as.map(fullName).join("; ");

const carerText = (c: Comparison["enquiry"]["carers"][number]) =>
  [c.givenNames, c.familyName, c.relationship ? `(${c.relationship})` : null, c.dateOfBirth ? `born ${day(c.dateOfBirth)}` : null]
    .filter(Boolean)
    .join(" ");
const personText = (p: Comparison["candidates"][number]["people"][number]) =>
  [
    fullName(p),
    `(${p.relationship.replace(/_/g, " ")}${p.livesWithChild ? ", lives with the child" : ""})`,
    p.dateOfBirth ? `born ${day(p.dateOfBirth)}` : null,
  ]
    .filter(Boolean)
    .join(" ");

/** One column of the comparison: a child's identifying details as the officer reads them. */
function identity(
  c: {
    givenNames: string;
    familyName: string;
    aliases: { givenNames?: string | null; familyName?: string | null }[];
    dateOfBirth: string | null;
    sex: string | null;
    nhsNumber: string | null;
  },
  present: { line1: string; line2?: string | null; town?: string | null; postcode?: string | null } | undefined,
) {
  return {
    given: c.givenNames,
    family: c.familyName,
    aliases: aliasText(c.aliases),
    dob: c.dateOfBirth ? day(c.dateOfBirth) : "",
    sex: c.sex ? sexLabel(c.sex) : "",
    nhs: c.nhsNumber ?? "",
    address: present ? addressText(present) : "",
    postcode: present?.postcode ?? "",
  };
}

const ROWS: [string, keyof ReturnType<typeof identity>][] = [
  ["Given names", "given"],
  ["Family name", "family"],
  ["Other names", "aliases"],
  ["Date of birth", "dob"],
  ["Sex", "sex"],
  ["NHS number", "nhs"],
  ["Present address", "address"],
  ["Postcode", "postcode"],
];

function CompareTable({ cmp }: { cmp: Comparison }) {
  const e = cmp.enquiry;
  const enquiry = identity(enquiredPerson(e), e.addresses.find((a) => a.current) ?? e.addresses[0]);
  // A candidate's addresses are its present one only.
  const candidates = cmp.candidates.map((c) => identity(c, c.addresses[0]));
  return (
    <Table
      caption="The enquiry beside each possible match"
      id="compare"
      head={["", "The enquiry", ...cmp.candidates.map((_, i) => `Candidate ${i + 1}`)]}
      rows={[
        ...ROWS.map(([label, key]) => [
          label,
          enquiry[key] || "Not given",
          ...candidates.map((r) => <Cell value={r[key]} against={enquiry[key]} />),
        ]),
        [
          "Parents, carers and others",
          e.carers.length ? e.carers.map(carerText).join("; ") : "Not given",
          ...cmp.candidates.map((c) =>
            c.people.length ? (
              <span>
                {c.people.map((p) => (
                  <span>
                    {personText(p)}
                    {p.matchesCarer ? (
                      <>
                        {" "}
                        <Tag colour="green">Same as a carer given</Tag>
                      </>
                    ) : null}
                    <br />
                  </span>
                ))}
              </span>
            ) : (
              "None recorded"
            ),
          ),
        ],
        ["Why it may be this child", "", ...cmp.candidates.map((c) => c.reasons.map(reasonText).join("; "))],
      ]}
    />
  );
}

function CallbackPage(p: {
  session: WebSession;
  item: Item;
  cmp: Comparison | null;
  errors: FieldErrors;
  values: Record<string, string | null>;
}) {
  const { item: i, session: s, errors } = p;
  const mine = i.claimedBy?.userId === s.principal.userId;
  const e = i.enquiry;
  const person = enquiredPerson(e);
  return (
    <Page title={`Call-back ${i.reference}`} session={s} active="/duty" hasErrors={Object.keys(errors).length > 0}>
      <BackLink href="/duty">Back to the queue</BackLink>
      <ErrorSummary errors={errors} />
      <H1 caption="Call-back">{i.reference}</H1>
      <p class="govuk-body">
        {i.status === "awaiting_callback" ? (
          <Tag colour="yellow">Waiting</Tag>
        ) : i.status === "in_callback" ? (
          <Tag colour="blue">Being answered</Tag>
        ) : (
          <Tag colour="green">Answered</Tag>
        )}{" "}
        {i.outOfHours ? <Tag colour="purple">Out of hours</Tag> : null}
      </p>
      <SummaryList
        rows={[
          ["Received", when(i.receivedAt)],
          [
            "Enquirer",
            `${i.enquirer.name}, ${professionLabel(i.enquirer.profession ?? "")}${i.enquirer.agency ? `, ${i.enquirer.agency}` : ""}`,
          ],
          [
            "Number they gave",
            <span>
              {formatForPeople(i.callbackNumber)}{" "}
              {i.callbackNumberRecognised ? <Tag colour="green">Recognised</Tag> : <Tag colour="orange">Not recognised</Tag>}
            </span>,
          ],
          [
            "Their agency's recognised numbers",
            i.recognisedNumbers.length ? i.recognisedNumbers.map(formatForPeople).join(", ") : "None recorded",
          ],
          [
            person.label,
            `${person.givenNames} ${person.familyName}${person.aliases.length ? ` (also known as ${aliasText(person.aliases)})` : ""}`,
          ],
          [person.unborn ? "Mother's date of birth" : "Date of birth", day(person.dateOfBirth)],
          ...(person.unborn
            ? ([
                [
                  "Expected date of delivery",
                  person.unborn.expectedDateOfDelivery ? day(person.unborn.expectedDateOfDelivery) : "Not given",
                ],
              ] as [string, string][])
            : []),
          [
            "Addresses",
            e.addresses.length ? (
              <ul class="govuk-list">
                {e.addresses.map((a) => (
                  <li>{`${addressText(a)}${a.current ? " (present)" : ""}`}</li>
                ))}
              </ul>
            ) : (
              "None given"
            ),
          ],
          ["Parents or carers", e.carers.length ? e.carers.map(carerText).join("; ") : "None given"],
          ["Reason", e.reason],
        ]}
      />
      {i.status === "awaiting_callback" ? (
        <form method="post" action={`/duty/callbacks/${i.id}/claim`}>
          <CsrfField token={s.csrf} />
          <Button>Take this call-back</Button>
        </form>
      ) : null}
      {i.status === "in_callback" && !mine ? (
        <Inset>{`${i.claimedBy?.name ?? "Another officer"} is handling this call-back.`}</Inset>
      ) : null}
      {i.status === "in_callback" && mine && p.cmp ? (
        <div>
          <h2 class="govuk-heading-m">Settle the possible match with the enquirer</h2>
          <p class="govuk-body">
            Phone the enquirer on a recognised number and check the child's details before saying anything from the register. Highlighted
            entries differ from what the enquirer told us.
          </p>
          <CompareTable cmp={p.cmp} />
          {p.cmp.heldElsewhere ? (
            <Inset>{`${p.cmp.heldElsewhere === 1 ? "One candidate is" : `${p.cmp.heldElsewhere} candidates are`} now held by another authority and not shown: if the enquirer means that child, choose None of them and advise them to ask that authority.`}</Inset>
          ) : null}
          <form method="post" action={`/duty/callbacks/${i.id}/confirm`} novalidate>
            <CsrfField token={s.csrf} />
            <Radios
              id="childId"
              legend="Which child did the enquirer mean?"
              error={errors.childId}
              value={p.values.childId}
              choices={[
                ...p.cmp.candidates.map((c, n) => ({
                  value: c.childId,
                  label: `Candidate ${n + 1}: ${c.givenNames} ${c.familyName}, born ${day(c.dateOfBirth)}`,
                })),
                { value: "none", label: "None of them" },
              ]}
            />
            <Button>Confirm</Button>
          </form>
        </div>
      ) : null}
      {i.status === "in_callback" && mine && !p.cmp ? (
        <div>
          <h2 class="govuk-heading-m">What to say</h2>
          <div class="app-script" id="script">
            {answerScript(i.answer, i.reference, s.principal.name).map((line) => (
              <p class="govuk-body">{line}</p>
            ))}
          </div>
          <details class="govuk-details">
            <summary class="govuk-details__summary">
              <span class="govuk-details__summary-text">The answer in full</span>
            </summary>
            <div class="govuk-details__text">
              <AnswerSummary answer={i.answer} />
            </div>
          </details>
          <h2 class="govuk-heading-m">Record the call-back</h2>
          {i.recognisedNumbers.length ? null : (
            <Warning>
              The enquirer's agency has no recognised numbers: ask the designated manager to record them before calling back.
            </Warning>
          )}
          <form method="post" action={`/duty/callbacks/${i.id}/complete`} novalidate>
            <CsrfField token={s.csrf} />
            <Radios
              id="numberDialled"
              legend="The number you dialled"
              hint="Only a number recognised as the enquirer's agency's"
              error={errors.numberDialled}
              value={p.values.numberDialled}
              choices={i.recognisedNumbers.map((n) => ({ value: n, label: formatForPeople(n) }))}
            />
            <Textarea
              id="adviceGiven"
              label="The advice you gave"
              error={errors.adviceGiven}
              value={p.values.adviceGiven ?? i.answer.advice}
              rows={4}
            />
            <Button>Complete the call-back</Button>
          </form>
        </div>
      ) : null}
      {i.status === "answered" ? (
        <div>
          <h2 class="govuk-heading-m">Answered</h2>
          <SummaryList
            rows={[
              ["Answered", when(i.answeredAt)],
              ["Number dialled", i.numberDialled ? formatForPeople(i.numberDialled) : ""],
              ["Advice given", i.adviceGiven ?? ""],
            ]}
          />
          <AnswerSummary answer={i.answer} />
        </div>
      ) : null}
    </Page>
  );
}

async function showCallback(
  c: Context<AppEnv>,
  s: WebSession,
  ctx: Ctx,
  errors: FieldErrors = {},
  values: Record<string, string | null> = {},
  status: 200 | 409 | 422 = 200,
) {
  const item = await getCallback(ctx, c.req.param("id") ?? "");
  const cmp =
    item.status === "in_callback" && item.claimedBy?.userId === s.principal.userId && item.answer.match === "possible"
      ? await compareCandidates(ctx, item.id)
      : null;
  return render(c, <CallbackPage session={s} item={item} cmp={cmp} errors={errors} values={values} />, status);
}

/** A refusal the officer can act on (a number not recognised, a claim lost), shown on the call-back's page. */
async function orShowRefusal(
  c: Context<AppEnv>,
  s: WebSession,
  ctx: Ctx,
  values: Record<string, string | null>,
  run: () => Promise<unknown>,
) {
  try {
    await run();
    return c.redirect(`/duty/callbacks/${c.req.param("id")}`, 303);
  } catch (err) {
    if (!(err instanceof AppError) || (err.status !== 422 && err.status !== 409)) throw err;
    const errors: FieldErrors = {};
    for (const fe of err.options.errors ?? [])
      errors[fe.path] ??=
        `${fe.path === "numberDialled" ? "The number dialled" : fe.path === "childId" ? "The child" : fe.path} ${fe.message}`;
    if (!Object.keys(errors).length) errors._refused = err.detail;
    c.set("refusalTarget", err.options.target ?? { type: "enquiry", id: c.req.param("id") ?? null });
    return showCallback(c, s, ctx, errors, values, err.status as 409 | 422);
  }
}

export const dutyRoutes = new Hono<AppEnv>()
  .get(
    "/duty",
    page(["duty_officer"], async (c, s, ctx) => {
      const signal = await queueSignal(ctx);
      return render(
        c,
        <Page title="Call-back queue" session={s} active="/duty" scripts={["/assets/app/queue.js"]}>
          <H1>Call-back queue</H1>
          <p class="govuk-body">
            Enquiries for {s.principal.authorities.join(", ") || "no authority"}. New enquiries appear here without reloading.
          </p>
          <p class="govuk-body app-live" id="queue-status" role="status" aria-live="polite"></p>
          <div id="queue" data-signal={JSON.stringify(signal)}>
            <QueueTables ctx={ctx} />
          </div>
        </Page>,
      );
    }),
  )
  // Polled by the page: counts only, nothing about any child, so it is not an access to audit.
  .get(
    "/duty/queue/signal",
    page(["duty_officer"], async (c, _s, ctx) => c.json(await queueSignal(ctx)), { background: true }),
  )
  // Fetched when the signal changes: the queue's tables, an audited read like the page's.
  .get(
    "/duty/queue/tables",
    page(["duty_officer"], async (c, _s, ctx) => c.html(<QueueTables ctx={ctx} />), { background: true }),
  )
  .get(
    "/duty/callbacks/:id",
    page(["duty_officer"], (c, s, ctx) => showCallback(c, s, ctx)),
  )
  .post(
    "/duty/callbacks/:id/claim",
    action(["duty_officer"], (c, s, ctx) => orShowRefusal(c, s, ctx, {}, () => claimCallback(ctx, c.req.param("id") ?? ""))),
  )
  .post(
    "/duty/callbacks/:id/confirm",
    action(["duty_officer"], async (c, s, ctx, form) => {
      const choice = field(form, "childId");
      if (!choice) return showCallback(c, s, ctx, { childId: "Choose the child the enquirer meant, or None of them" }, {}, 422);
      return orShowRefusal(c, s, ctx, { childId: choice }, () =>
        confirmMatch(ctx, c.req.param("id") ?? "", choice === "none" ? null : choice),
      );
    }),
  )
  .post(
    "/duty/callbacks/:id/complete",
    action(["duty_officer"], async (c, s, ctx, form) => {
      const values = { numberDialled: field(form, "numberDialled"), adviceGiven: field(form, "adviceGiven") };
      const parsed = CompleteCallbackBody.safeParse({
        numberDialled: values.numberDialled ?? undefined,
        adviceGiven: values.adviceGiven ?? undefined,
      });
      if (!parsed.success) {
        const errors: FieldErrors = {};
        for (const i of parsed.error.issues)
          errors[String(i.path[0])] ??= i.path[0] === "numberDialled" ? "Choose the number you dialled" : "Enter the advice you gave";
        return showCallback(c, s, ctx, errors, values, 422);
      }
      return orShowRefusal(c, s, ctx, values, () => completeCallback(ctx, c.req.param("id") ?? "", parsed.data));
    }),
  );
