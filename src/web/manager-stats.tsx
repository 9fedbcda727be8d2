import type { Context } from "hono";
import { Hono } from "hono";
import type { FC } from "hono/jsx";
import type { AppEnv } from "../http/app-env";
import { CalendarDate, londonToday } from "../lib/dates";
import { fieldErrors, invalid } from "../lib/errors";
import type { Role } from "../lib/principal";
import type { considerationDecisions } from "../lib/vocabulary";
import { professionLabel } from "../register/professions";
import { StatsQuery } from "../stats/stats.schemas";
import { type BoardStatistics, boardStatistics, type Cell, statisticsCsv, statisticsCsvHeaders } from "../stats/stats.service";
import { page, render } from "./core";
import { H1, Page } from "./layout";
import { type DateParts, datePartsOf, parseDateParts, partsOfIso } from "./manager-dates";
import { endReasonLabel } from "./manager-labels";
import type { WebSession } from "./session";
import { Button, DateInput, day, ErrorSummary, type FieldErrors, humanise, Inset, Select, Table } from "./ui";

const DM: Role[] = ["designated_manager"];

const AGE_BANDS: Record<string, string> = {
  unborn: "Unborn",
  under_1: "Under 1",
  "1_4": "1 to 4",
  "5_9": "5 to 9",
  "10_15": "10 to 15",
  "16_17": "16 to 17",
};
const RECEIVING_IN: Record<string, string> = {
  due: "Due in the period",
  met: "Held in time",
  missed: "Missed",
  pending: "Not yet held, still in time",
};
const OUTCOMES: Record<string, string> = { known: "Known to children's social care", possible: "Possibly known", not_known: "Not known" };
const KINDS: Record<string, string> = {
  enquiry_about_open_case: "Key worker told of an enquiry about their child",
  enquiry_at_same_address: "Key worker told of an enquiry at their child's address",
  trawl_alert: "Suspected trawl alerts",
};
const DECISIONS: Record<(typeof considerationDecisions)[number], string> = {
  child_in_need: "Child in need",
  not_child_in_need: "Not a child in need",
  referred: "Referred on",
};

/** Boards report by financial year, so the page opens on this one so far. */
function financialYearToDate(today: string) {
  const year = Number(today.slice(0, 4));
  const from = today.slice(5) >= "04-01" ? `${year}-04-01` : `${year - 1}-04-01`;
  return { from, to: today };
}

interface Period {
  parts: { from: DateParts; to: DateParts };
  from: string | null;
  to: string | null;
  authority: string | undefined;
  errors: FieldErrors;
}

/**
 * The period from the page's date boxes (`from-day`, …), or from `from` / `to` as the API takes
 * them (the CSV link's form), or the financial year so far when neither is given.
 */
function periodOf(c: Context<AppEnv>, today: string): Period {
  const fallback = financialYearToDate(today);
  const errors: FieldErrors = {};
  const read = (name: "from" | "to", label: string) => {
    const parts = datePartsOf((n) => c.req.query(n), name);
    const typed = parts.day || parts.month || parts.year;
    const iso = c.req.query(name)?.trim();
    if (!typed && iso) {
      if (CalendarDate.safeParse(iso).success) return { parts: partsOfIso(iso), value: iso };
      errors[name] = `${label} must be a real date`;
      return { parts, value: null };
    }
    if (!typed) return { parts: partsOfIso(fallback[name]), value: fallback[name] };
    const r = parseDateParts(parts, label);
    if (!r.ok) errors[name] = r.error;
    else if (!r.value) errors[name] = `Enter ${label.toLowerCase()}`;
    return { parts, value: r.ok ? r.value : null };
  };
  const from = read("from", "Start of the period");
  const to = read("to", "End of the period");
  if (from.value && to.value && from.value > to.value) errors.to = "End of the period must be the same as or after the start";
  const authority = c.req.query("authority")?.trim().toUpperCase() || undefined;
  return { parts: { from: from.parts, to: to.parts }, from: from.value, to: to.value, authority, errors };
}

/** A count as a cell: the number for the chart in `data-value`; a suppressed count says what it means to a screen reader too. */
const Count: FC<{ n: Cell | string | null }> = ({ n }) =>
  n === "<5" ? (
    <span data-suppressed="true">
      {"<5"}
      <span class="govuk-visually-hidden"> (between 1 and 4, not shown)</span>
    </span>
  ) : typeof n === "number" ? (
    <span data-value={String(n)}>{n.toLocaleString("en-GB")}</span>
  ) : (
    <span>{n ?? ""}</span>
  );

const Figures: FC<{ id: string; caption: string; head?: string; rows: [string, Cell | string | null][]; chart?: string }> = (p) => (
  <div>
    <Table
      id={p.id}
      caption={p.caption}
      head={[p.head ?? "Measure", "Number"]}
      numeric={[1]}
      rows={p.rows.map(([label, n]) => [label, <Count n={n} />])}
    />
    {p.chart ? (
      // Drawn by stats-chart.js from the table above, which stays the accessible version; hidden until then.
      <div class="app-chart" data-chart-for={p.id} hidden>
        <canvas role="img" aria-label={`${p.chart}. The same figures are in the table "${p.caption}" above.`}></canvas>
      </div>
    ) : null}
  </div>
);

const entries = <T,>(r: Record<string, T>, label: (k: string) => string): [string, T][] => Object.entries(r).map(([k, v]) => [label(k), v]);

const StatsFigures: FC<{ s: BoardStatistics }> = ({ s }) => {
  const r = s.register;
  const e = s.enquiries;
  const m = s.callbacks.minutesToCompletion;
  const { due, ...receivingIn } = r.receivingInConferences;
  return (
    <div id="figures">
      <h2 class="govuk-heading-m">{`${day(s.from)} to ${day(s.to)}`}</h2>
      <p class="govuk-body">{`Authorities: ${s.authorities.join(", ") || "none"}.`}</p>
      <Inset>
        <strong>{"<5"}</strong> means a count from 1 to 4. Small numbers can identify a child, so they are not shown; where only one part of
        a total would be hidden, the next smallest part is hidden too, so that it cannot be worked out by subtraction.
      </Inset>

      <h2 class="govuk-heading-l">The register</h2>
      <Figures id="stats-on-plans" caption={`Children on plans on ${day(s.asOf)}`} rows={[["Children on plans", r.onPlans]]} />
      <Figures
        id="stats-by-category"
        caption="Children on plans by category"
        head="Category"
        chart="Bar chart of children on plans by category"
        rows={entries(r.onPlansByCategory, humanise)}
      />
      <p class="govuk-body-s">A child on a plan under more than one category is counted in each.</p>
      <Figures
        id="stats-by-age"
        caption="Children on plans by age"
        head="Age"
        chart="Bar chart of children on plans by age"
        rows={entries(r.onPlansByAgeBand, (k) => AGE_BANDS[k] ?? k)}
      />
      <Figures
        id="stats-plans"
        caption="Plans started and ended in the period"
        rows={[
          ["Plans started", r.plansStarted],
          ["Plans ended", r.plansEnded],
        ]}
      />
      <Figures id="stats-ended" caption="Plans ended, by reason" head="Reason" rows={entries(r.plansEndedByReason, endReasonLabel)} />
      <Figures
        id="stats-moves"
        caption="Children moving in on another authority's plan"
        rows={[
          ["Temporary registrations", r.temporaryRegistrations],
          ...entries({ due, ...receivingIn }, (k) => `Receiving-in conferences: ${(RECEIVING_IN[k] ?? k).toLowerCase()}`),
        ]}
      />

      <h2 class="govuk-heading-l">Enquiries</h2>
      <Figures
        id="stats-enquiries"
        caption="Enquiries received"
        rows={[
          ["Received", e.received],
          ["In office hours", e.inOfficeHours],
          ["Out of hours", e.outOfHours],
        ]}
      />
      <Figures
        id="stats-by-agency"
        caption="Enquiries by agency type"
        head="Agency type"
        chart="Bar chart of enquiries by agency type"
        rows={entries(e.byAgencyType, humanise)}
      />
      <Figures
        id="stats-by-profession"
        caption="Enquiries by profession"
        head="Profession"
        rows={entries(e.byProfession, professionLabel)}
      />
      <Figures id="stats-by-outcome" caption="Enquiries by answer" head="Answer" rows={entries(e.byOutcome, (k) => OUTCOMES[k] ?? k)} />
      <Figures
        id="stats-callbacks"
        caption="Call-backs completed in the period"
        rows={[
          ["Completed", s.callbacks.completed],
          ["Median minutes from receipt to call-back", m ? String(m.median) : "Withheld: fewer than 5 call-backs"],
          ["90% were completed within (minutes)", m ? String(m.p90) : "Withheld: fewer than 5 call-backs"],
        ]}
      />

      <h2 class="govuk-heading-l">Notifications and considerations</h2>
      <Figures
        id="stats-notifications"
        caption="Notifications sent"
        head="Kind"
        rows={[["All notifications", s.notifications.sent], ...entries(s.notifications.byKind, (k) => KINDS[k] ?? humanise(k))]}
      />
      <Figures
        id="stats-considerations"
        caption="Child-in-need considerations"
        rows={[
          ["Opened", s.childInNeedConsiderations.opened],
          ["Decided", s.childInNeedConsiderations.decided],
          ...entries(
            s.childInNeedConsiderations.byDecision,
            (k) => `Decided: ${(DECISIONS[k as keyof typeof DECISIONS] ?? k).toLowerCase()}`,
          ),
        ]}
      />
      <Figures
        id="stats-risk"
        caption="People who may pose a risk to children"
        rows={[
          ["Notifications received", s.peoplePosingRisk.notified],
          ["Enquiries linked to them", s.peoplePosingRisk.enquiriesLinked],
        ]}
      />
    </div>
  );
};

const csvHref = (s: BoardStatistics, authority: string | undefined) => {
  const q = new URLSearchParams({ from: s.from, to: s.to });
  if (authority) q.set("authority", authority);
  return `/stats.csv?${q}`;
};

const StatsPage: FC<{ session: WebSession; period: Period; stats: BoardStatistics | null }> = ({ session, period, stats }) => {
  const mine = session.principal.authorities;
  return (
    <Page
      title="Statistics for the Safeguarding Children Board"
      session={session}
      active="/stats"
      scripts={stats ? ["/assets/app/stats-chart.js"] : []}
      hasErrors={Object.keys(period.errors).length > 0}
    >
      <ErrorSummary errors={period.errors} />
      <H1 caption="Safeguarding Children Board">Statistics</H1>
      {/* Dates are not personal data, so the period may sit in the address: the page can be bookmarked. */}
      <form method="get" action="/stats" novalidate>
        <DateInput
          id="from"
          legend="Start of the period"
          hint="For example, 1 4 2026"
          error={period.errors.from}
          value={period.parts.from}
        />
        <DateInput id="to" legend="End of the period" hint="For example, 31 3 2027" error={period.errors.to} value={period.parts.to} />
        {mine.length > 1 ? (
          <Select
            id="authority"
            label="Authority"
            value={period.authority ?? ""}
            choices={[{ value: "", label: "All your authorities" }, ...mine.map((a) => ({ value: a, label: a }))]}
          />
        ) : null}
        <Button secondary>Show figures</Button>
      </form>
      {stats ? (
        <div>
          <p class="govuk-body">
            <a class="govuk-link" href={csvHref(stats, period.authority)} id="csv-link">
              Download these figures as CSV
            </a>
          </p>
          <StatsFigures s={stats} />
          {/* Chart.js's UMD build sets window.Chart; a script with src is allowed by the content security policy. */}
          <script src="/assets/vendor/chart.umd.min.js" defer></script>
        </div>
      ) : null}
    </Page>
  );
};

export const statsPages = new Hono<AppEnv>()
  .get(
    "/stats",
    page(DM, async (c, s, ctx) => {
      const period = periodOf(c, londonToday(ctx.clock.now()));
      if (Object.keys(period.errors).length || !period.from || !period.to)
        return render(c, <StatsPage session={s} period={period} stats={null} />, 422);
      const stats = await boardStatistics(ctx, { from: period.from, to: period.to, authority: period.authority, exact: false });
      return render(c, <StatsPage session={s} period={period} stats={stats} />);
    }),
  )
  .get(
    "/stats.csv",
    // The API's own answer to Accept: text/csv, byte for byte, from the same two functions (the reading audited there).
    page(DM, async (c, _s, ctx) => {
      const q = StatsQuery.safeParse(c.req.query());
      if (!q.success) throw invalid("Give the period's start and end as dates, YYYY-MM-DD.", fieldErrors(q.error));
      const s = await boardStatistics(ctx, { from: q.data.from, to: q.data.to, authority: q.data.authority?.toUpperCase(), exact: false });
      return c.body(statisticsCsv(s), 200, statisticsCsvHeaders(s));
    }),
  );
