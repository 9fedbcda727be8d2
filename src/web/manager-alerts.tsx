import { Hono } from "hono";
import { listAlerts } from "../alerts/alerts.service";
import type { AppEnv } from "../http/app-env";
import type { Role } from "../lib/principal";
import { page, render } from "./core";
import { H1, Page } from "./layout";
import { Table, Tag, when } from "./ui";

// Out of office hours the out-of-hours service reads the alerts too (the service answers 403 in hours).
const READERS: Role[] = ["designated_manager", "duty_officer"];

type Alert = Awaited<ReturnType<typeof listAlerts>>[number];

function describe(a: Alert) {
  if (a.kind === "suspected_trawl")
    return {
      tag: <Tag colour="red">Possible trawl</Tag>,
      at: a.at,
      text: `${a.enquirer.name} (${a.enquirer.agency ?? "no agency"}) made ${a.enquiriesInWindow} enquiries in ${a.windowMinutes} minutes and was refused.`,
      child: null,
    };
  if (a.kind === "enquiry_linked_to_person_posing_risk")
    return {
      tag: <Tag colour="orange">Person posing risk</Tag>,
      at: a.createdAt,
      text: "An enquiry gave an address or a carer matching a person notified as posing a risk to children.",
      child: null,
    };
  return {
    tag: <Tag colour="yellow">No key worker told</Tag>,
    at: a.createdAt,
    text:
      a.reason === "enquiry_about_plan_child"
        ? "An enquiry about a child on a plan whom no key worker with a login here could be told of (a temporary plan, or no open case)."
        : "An enquiry about a child at the address of a child on a plan whom no key worker with a login here could be told of.",
    child: a.childId,
  };
}

/** The designated manager's alerts, newest first, as GET /v1/alerts lists them. */
export const alertPages = new Hono<AppEnv>().get(
  "/alerts",
  page(READERS, async (c, s, ctx) => {
    const alerts = await listAlerts(ctx, { limit: 100 });
    const manager = s.principal.roles.includes("designated_manager");
    return render(
      c,
      <Page title="Alerts" session={s} active="/alerts">
        <H1>Alerts</H1>
        <p class="govuk-body">
          Possible trawls of the register, enquiries linked to a person who may pose a risk, and enquiries about children on a plan that no
          key worker could be told of. Newest first.
        </p>
        {alerts.length ? (
          <Table
            caption={alerts.length === 1 ? "1 alert" : `${alerts.length} alerts`}
            head={["When", "Alert", "Authority", "What happened", ""]}
            rows={alerts.slice(0, 100).map((a) => {
              const d = describe(a);
              return [
                when(d.at),
                d.tag,
                a.authority,
                d.text,
                d.child && manager ? (
                  <a class="govuk-link" href={`/register/children/${d.child}`}>
                    View record<span class="govuk-visually-hidden"> of the child the alert is about</span>
                  </a>
                ) : (
                  ""
                ),
              ];
            })}
          />
        ) : (
          <p class="govuk-body" id="no-alerts">
            There are no alerts.
          </p>
        )}
      </Page>,
    );
  }),
);
