import { Hono } from "hono";
import type { Ctx } from "../domain/ctx";
import { EnquiryCreate } from "../enquiries/enquiries.schemas";
import { getOwnEnquiry, listOwnEnquiries } from "../enquiries/enquiries.service";
import { submitEnquiry } from "../enquiries/submit.service";
import type { AppEnv } from "../http/app-env";
import { AppError } from "../lib/errors";
import { formatForPeople } from "../lib/phone";
import { listAuthorities } from "../register/authorities.service";
import { AnswerSummary } from "./answer-view";
import { action, type Form, field, page, render } from "./core";
import { H1, Page } from "./layout";
import type { WebSession } from "./session";
import {
  Banner,
  Button,
  CsrfField,
  DateInput,
  ErrorSummary,
  enquiredPerson,
  type FieldErrors,
  fullName,
  Inset,
  Radios,
  Select,
  SummaryList,
  Table,
  Tag,
  Textarea,
  TextInput,
  when,
} from "./ui";

const ALIASES = 2;
const ADDRESSES = 3;
const CARERS = 2;

const LABELS: Record<string, string> = {
  authority: "Authority",
  about: "Who the enquiry is about",
  "child-givenNames": "The child's given names",
  "unborn-mother-givenNames": "The mother's given names",
  "unborn-mother-familyName": "The mother's family name",
  "unborn-mother-dateOfBirth": "The mother's date of birth",
  "unborn-expectedDateOfDelivery": "Expected date of delivery",
  "child-familyName": "The child's family name",
  "child-dateOfBirth": "Date of birth",
  "child-sex": "Sex",
  "child-nhsNumber": "NHS number",
  reason: "The reason for your enquiry",
  callbackNumber: "The number to call you back on",
};
const labelOf = (id: string) =>
  LABELS[id] ??
  id
    .replace(/^aliases-(\d+)-/, (_, n) => `Other name ${Number(n) + 1}: `)
    .replace(/^addresses-0-/, "Present address: ")
    .replace(/^addresses-(\d+)-/, (_, n) => `Previous address ${n}: `)
    .replace(/^carers-(\d+)-/, (_, n) => `Parent or carer ${Number(n) + 1}: `)
    .replace(/givenNames$/, "given names")
    .replace(/familyName$/, "family name")
    .replace(/line1$/, "address line 1")
    .replace(/line2$/, "address line 2")
    .replace(/relationship$/, "relationship to the child");

/** The form's fields as the API's EnquiryCreate, keeping where each listed row came from so errors land on the right box. */
function toInput(form: Form) {
  const f = (n: string) => field(form, n);
  const rows = (prefix: string, count: number, keys: string[]) => {
    const kept: { index: number; row: Record<string, string | null> }[] = [];
    for (let i = 0; i < count; i++) {
      const row = Object.fromEntries(keys.map((k) => [k, f(`${prefix}-${i}-${k}`)]));
      if (Object.values(row).some((v) => v !== null)) kept.push({ index: i, row });
    }
    return kept;
  };
  const aliases = rows("aliases", ALIASES, ["givenNames", "familyName"]);
  const addresses = rows("addresses", ADDRESSES, ["line1", "line2", "town", "postcode"]);
  const carers = rows("carers", CARERS, [
    "givenNames",
    "familyName",
    "relationship",
    "dateOfBirth-day",
    "dateOfBirth-month",
    "dateOfBirth-year",
  ]);
  const dateOf = (d: string | null, m: string | null, y: string | null) =>
    d || m || y ? `${(y ?? "").padStart(4, "0")}-${(m ?? "").padStart(2, "0")}-${(d ?? "").padStart(2, "0")}` : null;
  const dateOfBirth = dateOf(f("child-dateOfBirth-day"), f("child-dateOfBirth-month"), f("child-dateOfBirth-year"));
  const unborn = f("about") === "unborn";
  const input = {
    ...(f("authority") ? { authority: f("authority") } : {}),
    ...(unborn
      ? {
          unborn: {
            mother: {
              givenNames: f("unborn-mother-givenNames") ?? undefined,
              familyName: f("unborn-mother-familyName") ?? undefined,
              aliases: [],
              dateOfBirth: dateOf(
                f("unborn-mother-dateOfBirth-day"),
                f("unborn-mother-dateOfBirth-month"),
                f("unborn-mother-dateOfBirth-year"),
              ),
            },
            expectedDateOfDelivery: dateOf(
              f("unborn-expectedDateOfDelivery-day"),
              f("unborn-expectedDateOfDelivery-month"),
              f("unborn-expectedDateOfDelivery-year"),
            ),
          },
        }
      : {}),
    child: unborn
      ? undefined
      : {
          givenNames: f("child-givenNames") ?? undefined,
          familyName: f("child-familyName") ?? undefined,
          aliases: aliases.map((a) => a.row),
          dateOfBirth,
          sex: f("child-sex"),
          nhsNumber: f("child-nhsNumber"),
        },
    addresses: addresses.map((a) => ({ ...a.row, line1: a.row.line1 ?? undefined, current: a.index === 0 })),
    carers: carers.map(({ row: { "dateOfBirth-day": d, "dateOfBirth-month": m, "dateOfBirth-year": y, ...c } }) => ({
      ...c,
      dateOfBirth: dateOf(d ?? null, m ?? null, y ?? null),
    })),
    reason: f("reason") ?? undefined,
    callbackNumber: f("callbackNumber") ?? undefined,
  };
  const origin: Record<string, number[]> = {
    aliases: aliases.map((a) => a.index),
    addresses: addresses.map((a) => a.index),
    carers: carers.map((c) => c.index),
  };
  return { input, origin };
}

/** A schema error's path as the form field it belongs to. */
function fieldOf(path: (string | number)[], origin: Record<string, number[]>): string {
  const parts = path.map(String);
  if (parts[0] === "child" && (parts[1] === "aliases" || parts[1] === "addresses")) parts.shift();
  const list = parts[0];
  if (list && origin[list] && parts[1] !== undefined) parts[1] = String(origin[list]![Number(parts[1])] ?? parts[1]);
  if (parts.length === 2 && list && origin[list]) parts.push(list === "addresses" ? "line1" : "givenNames");
  return parts.join("-") || "reason";
}

function messageFor(id: string, message: string, missing: boolean): string {
  const label = labelOf(id);
  if (missing) return `Enter ${label.charAt(0).toLowerCase()}${label.slice(1)}`;
  if (id === "child-dateOfBirth" && /YYYY-MM-DD|calendar date/.test(message))
    return "Date of birth must be a real date, for example 27 3 2019";
  return /^[a-z]/.test(message) ? `${label} ${message}` : `${label}: ${message}`;
}

type Origin = ReturnType<typeof toInput>["origin"];

/** Errors against the form's fields, whether the schema's or the service's (its paths index the rows sent). */
function formErrors(issues: { path: (string | number)[]; message: string; missing?: boolean }[], origin: Origin): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of issues) {
    const id = fieldOf(issue.path, origin);
    errors[id] ??= messageFor(id, issue.message, issue.missing ?? false);
  }
  return errors;
}

function validate(form: Form): { ok: true; data: EnquiryCreate; origin: Origin } | { ok: false; errors: FieldErrors } {
  const { input, origin } = toInput(form);
  const parsed = EnquiryCreate.safeParse(input);
  if (parsed.success) return { ok: true, data: parsed.data, origin };
  const issues = parsed.error.issues.map((i) => ({
    path: i.path as (string | number)[],
    message: i.message,
    missing: i.code === "invalid_type" && (i as { input?: unknown }).input === undefined,
  }));
  return { ok: false, errors: formErrors(issues, origin) };
}

async function authorityChoices(ctx: Ctx) {
  return (await listAuthorities(ctx, { limit: 200 })).map((a) => ({ value: a.code, label: a.name }));
}

function EnquiryForm(p: { session: WebSession; authorities: { value: string; label: string }[]; errors: FieldErrors; form: Form }) {
  const v = (n: string) => field(p.form, n);
  const e = p.errors;
  return (
    <Page title="Make an enquiry" session={p.session} active="/enquiries" hasErrors={Object.keys(e).length > 0}>
      <ErrorSummary errors={e} />
      <H1 caption="Enquiry">Ask about a child</H1>
      <p class="govuk-body">
        Tell us what you know. A duty officer checks the register and phones you back on your agency's recognised number; nothing about the
        child is shown on screen before that call.
      </p>
      <form method="post" action="/enquiries" novalidate>
        <CsrfField token={p.session.csrf} />
        {p.authorities.length > 1 ? (
          <Select
            id="authority"
            label={LABELS.authority!}
            hint="The authority whose register to check"
            value={v("authority")}
            error={e.authority}
            choices={[{ value: "", label: "Choose an authority" }, ...p.authorities]}
          />
        ) : null}
        <h2 class="govuk-heading-m">The child</h2>
        <Radios
          id="about"
          legend={LABELS.about!}
          small
          value={v("about") ?? "child"}
          error={e.about}
          choices={[
            { value: "child", label: "A child" },
            {
              value: "unborn",
              label: "An unborn child",
              hint: "Give the expectant mother's details below, under ‘An unborn child’, instead of the child's",
            },
          ]}
        />
        <TextInput
          id="child-givenNames"
          label={LABELS["child-givenNames"]!}
          value={v("child-givenNames")}
          error={e["child-givenNames"]}
          spellcheck={false}
        />
        <TextInput
          id="child-familyName"
          label={LABELS["child-familyName"]!}
          value={v("child-familyName")}
          error={e["child-familyName"]}
          spellcheck={false}
        />
        <details
          class="govuk-details"
          open={Object.keys(e).some((k) => k.startsWith("aliases")) || !!v("aliases-0-familyName") || !!v("aliases-0-givenNames")}
        >
          <summary class="govuk-details__summary">
            <span class="govuk-details__summary-text">Other names the child is known by</span>
          </summary>
          <div class="govuk-details__text">
            {Array.from({ length: ALIASES }, (_, i) => (
              <div>
                <TextInput
                  id={`aliases-${i}-givenNames`}
                  label={`Other name ${i + 1}: given names`}
                  value={v(`aliases-${i}-givenNames`)}
                  error={e[`aliases-${i}-givenNames`]}
                  spellcheck={false}
                />
                <TextInput
                  id={`aliases-${i}-familyName`}
                  label={`Other name ${i + 1}: family name`}
                  value={v(`aliases-${i}-familyName`)}
                  error={e[`aliases-${i}-familyName`]}
                  spellcheck={false}
                />
              </div>
            ))}
          </div>
        </details>
        <DateInput
          id="child-dateOfBirth"
          legend="Date of birth"
          hint="For example, 27 3 2019. Give the date of birth or an address, or both."
          error={e["child-dateOfBirth"]}
          value={{
            day: v("child-dateOfBirth-day") ?? "",
            month: v("child-dateOfBirth-month") ?? "",
            year: v("child-dateOfBirth-year") ?? "",
          }}
        />
        <details class="govuk-details" open={v("about") === "unborn" || Object.keys(e).some((k) => k.startsWith("unborn"))}>
          <summary class="govuk-details__summary">
            <span class="govuk-details__summary-text">An unborn child: the expectant mother</span>
          </summary>
          <div class="govuk-details__text">
            <TextInput
              id="unborn-mother-givenNames"
              label={LABELS["unborn-mother-givenNames"]!}
              value={v("unborn-mother-givenNames")}
              error={e["unborn-mother-givenNames"]}
              spellcheck={false}
            />
            <TextInput
              id="unborn-mother-familyName"
              label={LABELS["unborn-mother-familyName"]!}
              value={v("unborn-mother-familyName")}
              error={e["unborn-mother-familyName"]}
              spellcheck={false}
            />
            <DateInput
              id="unborn-mother-dateOfBirth"
              legend={LABELS["unborn-mother-dateOfBirth"]!}
              hint="Give her date of birth or an address, or both."
              error={e["unborn-mother-dateOfBirth"]}
              value={{
                day: v("unborn-mother-dateOfBirth-day") ?? "",
                month: v("unborn-mother-dateOfBirth-month") ?? "",
                year: v("unborn-mother-dateOfBirth-year") ?? "",
              }}
            />
            <DateInput
              id="unborn-expectedDateOfDelivery"
              legend="Expected date of delivery, if known"
              error={e["unborn-expectedDateOfDelivery"]}
              value={{
                day: v("unborn-expectedDateOfDelivery-day") ?? "",
                month: v("unborn-expectedDateOfDelivery-month") ?? "",
                year: v("unborn-expectedDateOfDelivery-year") ?? "",
              }}
            />
          </div>
        </details>
        <Radios
          id="child-sex"
          legend="Sex"
          small
          value={v("child-sex")}
          error={e["child-sex"]}
          choices={[
            { value: "female", label: "Female" },
            { value: "male", label: "Male" },
            { value: "unknown", label: "Not known" },
          ]}
        />
        <TextInput
          id="child-nhsNumber"
          label="NHS number (if known)"
          value={v("child-nhsNumber")}
          error={e["child-nhsNumber"]}
          width="10"
          inputmode="numeric"
        />
        {Array.from({ length: ADDRESSES }, (_, i) => (
          <fieldset class="govuk-fieldset">
            <legend class="govuk-fieldset__legend govuk-fieldset__legend--m">
              {i === 0 ? "Present address" : `Previous address ${i}`}
            </legend>
            <TextInput
              id={`addresses-${i}-line1`}
              label="Address line 1"
              value={v(`addresses-${i}-line1`)}
              error={e[`addresses-${i}-line1`]}
            />
            <TextInput
              id={`addresses-${i}-line2`}
              label="Address line 2 (optional)"
              value={v(`addresses-${i}-line2`)}
              error={e[`addresses-${i}-line2`]}
            />
            <TextInput
              id={`addresses-${i}-town`}
              label="Town or city"
              value={v(`addresses-${i}-town`)}
              error={e[`addresses-${i}-town`]}
              width="20"
            />
            <TextInput
              id={`addresses-${i}-postcode`}
              label="Postcode"
              value={v(`addresses-${i}-postcode`)}
              error={e[`addresses-${i}-postcode`]}
              width="10"
            />
          </fieldset>
        ))}
        <h2 class="govuk-heading-m">Parents or carers</h2>
        {Array.from({ length: CARERS }, (_, i) => (
          <fieldset class="govuk-fieldset">
            <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{`Parent or carer ${i + 1}`}</legend>
            <TextInput
              id={`carers-${i}-givenNames`}
              label="Given names"
              value={v(`carers-${i}-givenNames`)}
              error={e[`carers-${i}-givenNames`]}
              spellcheck={false}
            />
            <TextInput
              id={`carers-${i}-familyName`}
              label="Family name"
              value={v(`carers-${i}-familyName`)}
              error={e[`carers-${i}-familyName`]}
              spellcheck={false}
            />
            <TextInput
              id={`carers-${i}-relationship`}
              label="Relationship to the child"
              value={v(`carers-${i}-relationship`)}
              error={e[`carers-${i}-relationship`]}
              width="20"
            />
            <DateInput
              id={`carers-${i}-dateOfBirth`}
              legend="Date of birth, if known"
              error={e[`carers-${i}-dateOfBirth`]}
              value={{
                day: v(`carers-${i}-dateOfBirth-day`) ?? "",
                month: v(`carers-${i}-dateOfBirth-month`) ?? "",
                year: v(`carers-${i}-dateOfBirth-year`) ?? "",
              }}
            />
          </fieldset>
        ))}
        <h2 class="govuk-heading-m">Your enquiry</h2>
        <Textarea
          id="reason"
          label={LABELS.reason!}
          hint="What has happened, and why you need to know"
          value={v("reason")}
          error={e.reason}
        />
        <TextInput
          id="callbackNumber"
          label={LABELS.callbackNumber!}
          hint="Your agency's number. The duty officer calls back only on a number recognised as your agency's."
          value={v("callbackNumber")}
          error={e.callbackNumber}
          type="tel"
          autocomplete="tel"
          width="20"
        />
        <Button>Send enquiry</Button>
      </form>
    </Page>
  );
}

const STATUS = {
  awaiting_callback: ["Waiting for call-back", "yellow"],
  in_callback: ["Being answered", "blue"],
  answered: ["Answered", "green"],
} as const;

export const enquirerRoutes = new Hono<AppEnv>()
  .get(
    "/enquiries",
    page(["enquirer"], async (c, s, ctx) => {
      const rows = (await listOwnEnquiries(ctx, { limit: 50 })).slice(0, 50);
      return render(
        c,
        <Page title="Your enquiries" session={s} active="/enquiries">
          <H1>Your enquiries</H1>
          <a href="/enquiries/new" role="button" draggable="false" class="govuk-button" data-module="govuk-button">
            Make an enquiry
          </a>
          {rows.length ? (
            <Table
              caption="Most recent first"
              head={["Reference", "Received", "Status"]}
              rows={rows.map((r) => [
                <a class="govuk-link" href={`/enquiries/${r.id}`}>
                  {r.reference}
                </a>,
                when(r.receivedAt),
                <Tag colour={STATUS[r.status][1]}>{STATUS[r.status][0]}</Tag>,
              ])}
            />
          ) : (
            <p class="govuk-body">You have not made any enquiries.</p>
          )}
        </Page>,
      );
    }),
  )
  .get(
    "/enquiries/new",
    page(["enquirer"], async (c, s, ctx) =>
      render(c, <EnquiryForm session={s} authorities={await authorityChoices(ctx)} errors={{}} form={{}} />),
    ),
  )
  .post(
    "/enquiries",
    action(["enquirer"], async (c, s, ctx, form) => {
      const checked = validate(form);
      const again = async (errors: FieldErrors, status: 422 | 429 | 403) =>
        render(c, <EnquiryForm session={s} authorities={await authorityChoices(ctx)} errors={errors} form={form} />, status);
      if (!checked.ok) return again(checked.errors, 422);
      try {
        const created = await submitEnquiry(ctx, checked.data);
        return c.redirect(`/enquiries/${created.id}?sent=1`, 303);
      } catch (err) {
        // The service's own refusals (an unknown authority, a profession not eligible, the trawl limit) are shown on the form.
        if (err instanceof AppError && (err.status === 422 || err.status === 429 || err.status === 403)) {
          const errors = formErrors(
            (err.options.errors ?? []).map((fe) => ({ path: fe.path.split("."), message: fe.message })),
            checked.origin,
          );
          if (!Object.keys(errors).length) errors._service = err.detail;
          c.set("refusalTarget", err.options.target ?? { type: "enquiry", id: null });
          return again(errors, err.status as 422 | 429 | 403);
        }
        throw err;
      }
    }),
  )
  .get(
    "/enquiries/:id",
    page(["enquirer"], async (c, s, ctx) => {
      const e = await getOwnEnquiry(ctx, c.req.param("id") ?? "");
      const sent = c.req.query("sent") === "1";
      return render(
        c,
        <Page title={`Enquiry ${e.reference}`} session={s} active="/enquiries">
          {sent ? (
            <div class="govuk-panel govuk-panel--confirmation">
              <h1 class="govuk-panel__title">Enquiry sent</h1>
              <div class="govuk-panel__body">
                Your reference is
                <br />
                <strong>{e.reference}</strong>
              </div>
            </div>
          ) : (
            <H1 caption="Enquiry">{e.reference}</H1>
          )}
          {e.status !== "answered" ? (
            <div>
              <h2 class="govuk-heading-m">What happens next</h2>
              <p class="govuk-body">
                A duty officer{e.outOfHours ? " from the Emergency Duty Team" : ""} will phone you back on{" "}
                <strong>{formatForPeople(e.callbackNumber)}</strong> with the answer. Quote {e.reference}.
              </p>
              {!e.callbackNumberRecognised ? (
                <Banner title="That number is not one we recognise for your agency">
                  <p class="govuk-body">
                    We can only call back on a number recognised as your agency's: the duty officer will call your agency's switchboard and
                    ask for you.
                  </p>
                </Banner>
              ) : null}
              <Inset>If a child is in immediate danger, call 999. Do not wait for the call-back.</Inset>
            </div>
          ) : (
            <div>
              <h2 class="govuk-heading-m">The answer you were given</h2>
              <p class="govuk-body">Given on the call-back of {when(e.answeredAt)}.</p>
              {e.answer ? <AnswerSummary answer={e.answer} /> : null}
              {e.adviceGiven ? <SummaryList rows={[["Advice given on the call", e.adviceGiven]]} /> : null}
            </div>
          )}
          <h2 class="govuk-heading-m">What you told us</h2>
          <SummaryList
            rows={[
              ["Status", <Tag colour={STATUS[e.status][1]}>{STATUS[e.status][0]}</Tag>],
              ["Received", when(e.receivedAt)],
              [enquiredPerson(e).label, fullName(enquiredPerson(e))],
              ["Reason", e.reason],
            ]}
          />
          <p class="govuk-body">
            <a class="govuk-link" href="/enquiries">
              All your enquiries
            </a>
          </p>
        </Page>,
      );
    }),
  );
