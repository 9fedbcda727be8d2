import { Hono } from "hono";
import type { FC } from "hono/jsx";
import type { AppEnv } from "../http/app-env";
import { decodeCursor, encodeCursor } from "../lib/pagination";
import { formatForPeople } from "../lib/phone";
import type { Role } from "../lib/principal";
import { type ChildOnPlan, childrenOnPlanCsv, listChildrenOnPlan } from "../register/on-plan.service";
import { page, render } from "./core";
import { H1, Page } from "./layout";
import type { WebSession } from "./session";
import { day, humanise, Table, Tag } from "./ui";

const DM: Role[] = ["designated_manager"];
const PER_PAGE = 100;

const born = (r: ChildOnPlan) =>
  r.dateOfBirth ? day(r.dateOfBirth) : r.expectedDateOfDelivery ? `Unborn, expected ${day(r.expectedDateOfDelivery)}` : "Not known";

const keyWorker = (r: ChildOnPlan) =>
  r.keyWorker ? `${r.keyWorker.name}${r.keyWorker.phone ? `, ${formatForPeople(r.keyWorker.phone)}` : ""}` : "No open case here";

/** GOV.UK pagination, forward only: the cursor is a child's id, so no name goes into an address. */
const NextPage: FC<{ href: string }> = ({ href }) => (
  <nav class="govuk-pagination govuk-pagination--block" aria-label="Pagination">
    <div class="govuk-pagination__next">
      <a class="govuk-link govuk-pagination__link" href={href} rel="next" id="next-page">
        <svg
          class="govuk-pagination__icon govuk-pagination__icon--next"
          xmlns="http://www.w3.org/2000/svg"
          height="13"
          width="15"
          aria-hidden="true"
          focusable="false"
          viewBox="0 0 15 13"
        >
          <path d="m8.107-0.0078125-1.4136 1.414 4.2926 4.293h-12.986v2h12.896l-4.1855 3.9766 1.377 1.4492 6.7441-6.4062-6.7246-6.7266z" />
        </svg>
        <span class="govuk-pagination__link-title">
          Next page<span class="govuk-visually-hidden"> of children on a plan</span>
        </span>
      </a>
    </div>
  </nav>
);

const OnPlanPage: FC<{ session: WebSession; rows: ChildOnPlan[]; next: string | null; later: boolean }> = ({
  session,
  rows,
  next,
  later,
}) => {
  const several = session.principal.authorities.length > 1;
  return (
    <Page title="Children on a plan" session={session} active="/register/on-plan">
      <H1 caption="Register">Children on a plan</H1>
      <p class="govuk-body">
        Every child of your authorities who is the subject of a child protection plan now, including children who have moved in on another
        authority's plan (temporary registration). By family name, then given names.
      </p>
      <p class="govuk-body">
        <a class="govuk-link" href="/register/on-plan.csv" id="csv-link" download>
          Download the whole list as CSV
        </a>
      </p>
      {later ? (
        <p class="govuk-body">
          <a class="govuk-link" href="/register/on-plan">
            Back to the start of the list
          </a>
        </p>
      ) : null}
      {rows.length ? (
        <Table
          id="on-plan"
          caption={rows.length === 1 ? "1 child on this page" : `${rows.length} children on this page`}
          head={["Name", "Date of birth", "Categories", "Plan since", "Registration", "Key worker", ...(several ? ["Authority"] : [])]}
          rows={rows.map((r) => [
            <a class="govuk-link" href={`/register/children/${r.id}`}>
              {r.name}
            </a>,
            born(r),
            r.categories.map(humanise).join(", ") || "None recorded",
            day(r.startDate),
            r.temporary ? <Tag colour="yellow">Temporary: moved in</Tag> : "This authority's plan",
            keyWorker(r),
            ...(several ? [r.authority] : []),
          ])}
        />
      ) : (
        <p class="govuk-body" id="on-plan-empty">
          {later ? "No more children on a plan." : "No child of your authorities is on a plan."}
        </p>
      )}
      {next ? <NextPage href={next} /> : null}
    </Page>
  );
};

/** Seed 001 7.12.2 on the manager's desk: the list the API gives, a page at a time, and its CSV (both audited there). */
export const onPlanPages = new Hono<AppEnv>()
  .get(
    "/register/on-plan",
    page(DM, async (c, s, ctx) => {
      const cursor = c.req.query("cursor");
      const rows = await listChildrenOnPlan(ctx, { after: decodeCursor(cursor), limit: PER_PAGE }, "html");
      const shown = rows.slice(0, PER_PAGE);
      const next = rows.length > PER_PAGE ? `/register/on-plan?cursor=${encodeCursor(shown[shown.length - 1]!.id)}` : null;
      return render(c, <OnPlanPage session={s} rows={shown} next={next} later={cursor !== undefined} />);
    }),
  )
  .get(
    "/register/on-plan.csv",
    // The API's own answer to Accept: text/csv, from the same function.
    page(DM, async (c, _s, ctx) => {
      const csv = await childrenOnPlanCsv(ctx, {});
      return c.body(csv.body, 200, csv.headers);
    }),
  );
