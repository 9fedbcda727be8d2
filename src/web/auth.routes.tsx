import type { Context } from "hono";
import { Hono } from "hono";
import { deleteCookie, getSignedCookie, setSignedCookie } from "hono/cookie";
import { appendAudit } from "../audit/audit.service";
import type { AppEnv } from "../http/app-env";
import { clientAddressOf, countFailedAuthentication } from "../http/guard";
import { AppError } from "../lib/errors";
import { Claims, type Principal, ROLES, toPrincipal } from "../lib/principal";
import { PROFESSIONS } from "../register/professions";
import { carriesToken, type Form, field, fields, render } from "./core";
import { desksFor } from "./desks";
import { deskList, H1, Page } from "./layout";
import { beginSignIn, finishSignIn, type LoginAttempt } from "./oidc";
import { endSession, hostCookie, loadSession, randomToken, startSession } from "./session";
import { Button, Checkboxes, CsrfField, ErrorSummary, type FieldErrors, humanise, Inset, Select, TextInput, Warning } from "./ui";

const LOGIN_COOKIE = "register_login";
const PRE_SESSION_COOKIE = "register_pre";
const shortCookie = { ...hostCookie, maxAge: 600 } as const;

// Only where nothing of a deployment is configured (config.devFeatures), never by APP_ENV alone.
const devSignInAllowed = (c: Context<AppEnv>) => c.var.deps.config.devFeatures;

async function signedInAs(c: Context<AppEnv>, principal: Principal, via: "oidc" | "development") {
  await startSession(c, principal, via);
  const { store, clock } = c.var.deps;
  await appendAudit(store, { clock, requestId: c.var.requestId, principal }, { action: "session.start", target: null, detail: { via } });
  const desks = desksFor(principal.roles);
  return c.redirect(desks.length === 1 ? desks[0]!.href : "/", 303);
}

/**
 * A sign-in that did not end in a session is an access attempt like any refusal: on the audit
 * log, coalesced per client address like the API's (anyone can send junk to the callback).
 */
async function refusedSignIn(c: Context<AppEnv>, sub: string | null, detail: Record<string, unknown>) {
  const { store, clock } = c.var.deps;
  const admitted = c.var.limits.coalescer.admit(`${clientAddressOf(c)}|sign-in refused`, clock.now().getTime());
  if (!admitted) return;
  await appendAudit(
    store,
    { clock, requestId: c.var.requestId, principal: null },
    {
      action: "session.start",
      target: null,
      outcome: "refused",
      detail: { via: "oidc", sub, ...detail, ...(admitted.heldBack ? { heldBack: admitted.heldBack } : {}) },
    },
  );
}

/** What a claims set lacks for any desk, said plainly for the person who cannot get in. */
function noDesk(c: Context<AppEnv>, problems: string[]) {
  return render(
    c,
    <Page title="No desk for your account" session={null}>
      <H1>Your account does not give you a desk here</H1>
      <p class="govuk-body">You signed in, but the identity provider did not say which part of this service you may use.</p>
      <ul class="govuk-list govuk-list--bullet">
        {problems.map((p) => (
          <li>{p}</li>
        ))}
      </ul>
      <p class="govuk-body">
        Ask your organisation's IT or identity team to give your account one of the register's roles, then sign in again.
      </p>
      <p class="govuk-body">
        <a class="govuk-link" href="/">
          Back to the start page
        </a>
      </p>
    </Page>,
    403,
  );
}

export const authRoutes = new Hono<AppEnv>()
  .get("/", async (c) => {
    const s = await loadSession(c);
    if (s) {
      c.set("session", s);
      return render(
        c,
        <Page title="Your desks" session={s}>
          <H1>Your desks</H1>
          {deskList(s.principal.roles)}
        </Page>,
      );
    }
    const { config } = c.var.deps;
    return render(
      c,
      <Page title="Sign in" session={null}>
        <H1>{`Child protection register enquiries`}</H1>
        <p class="govuk-body-l">
          Check, at any hour, whether a child is or was subject of a child protection plan. Answers are given by a call-back to your
          agency's recognised number.
        </p>
        {config.web.oidc ? (
          <a href="/sign-in" role="button" draggable="false" class="govuk-button govuk-button--start" data-module="govuk-button">
            Sign in
          </a>
        ) : (
          <Inset>Sign-in through your organisation's account is not set up on this server (OIDC_ISSUER is not configured).</Inset>
        )}
        {devSignInAllowed(c) ? (
          <p class="govuk-body">
            <a class="govuk-link" href="/dev/sign-in">
              Development sign-in
            </a>{" "}
            (not available in production)
          </p>
        ) : null}
      </Page>,
    );
  })
  .get("/sign-in", async (c) => {
    const { config } = c.var.deps;
    if (!config.web.oidc) throw new AppError("not_found", "Sign-in through an identity provider is not configured on this server.");
    const { url, attempt } = await beginSignIn(config);
    await setSignedCookie(c, LOGIN_COOKIE, JSON.stringify(attempt), config.web.sessionSecret, shortCookie);
    return c.redirect(url, 302);
  })
  .get("/auth/callback", async (c) => {
    const { config } = c.var.deps;
    // An address that keeps failing to sign in is not let through to the provider again.
    const { limiter, perAddress } = c.var.limits;
    if (limiter.exhausted(clientAddressOf(c), perAddress, c.var.deps.clock.now().getTime())) await countFailedAuthentication(c);
    if (!config.web.oidc) throw new AppError("not_found", "Sign-in through an identity provider is not configured on this server.");
    const saved = await getSignedCookie(c, config.web.sessionSecret, LOGIN_COOKIE, "host");
    deleteCookie(c, LOGIN_COOKIE, { path: "/", secure: true, prefix: "host" });
    if (!saved) throw new AppError("malformed", "This sign-in took too long or was started elsewhere. Start again from the start page.");
    const error = c.req.query("error");
    if (error) throw new AppError("unauthenticated", `The identity provider did not sign you in (${error.slice(0, 100)}).`);
    let claims: Record<string, unknown>;
    try {
      claims = await finishSignIn(config, new URL(c.req.url).search, JSON.parse(saved) as LoginAttempt);
    } catch (err) {
      // The reason goes to the log and the audit log (no tokens in it); the person is told to try again.
      const reason = `${(err as Error).name}: ${(err as Error).message}`.slice(0, 300);
      c.var.deps.log?.({
        at: c.var.deps.clock.now().toISOString(),
        requestId: c.var.requestId,
        level: "warn",
        msg: "sign-in failed",
        error: reason,
      });
      await refusedSignIn(c, null, { reason });
      await countFailedAuthentication(c);
      throw new AppError("unauthenticated", "Sign-in could not be completed. Start again from the start page.");
    }
    const parsed = Claims.safeParse(claims);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => `${i.path.join(".") || "claims"}: ${i.message}`);
      await refusedSignIn(c, typeof claims.sub === "string" ? claims.sub.slice(0, 200) : null, {
        reason: "no desk for the account's claims",
        problems,
      });
      return noDesk(c, problems);
    }
    return signedInAs(c, toPrincipal(parsed.data), "oidc");
  })
  .post("/sign-out", async (c) => {
    const s = await loadSession(c);
    if (s) {
      const form = (await c.req.parseBody()) as Form;
      if (!carriesToken(form, s.csrf)) throw new AppError("forbidden", "This form did not come from this service.");
      await endSession(c);
      const { store, clock } = c.var.deps;
      await appendAudit(
        store,
        { clock, requestId: c.var.requestId, principal: s.principal },
        { action: "session.end", target: null, detail: null },
      );
    }
    return c.redirect("/", 303);
  })
  .get("/dev/sign-in", async (c) => {
    if (!devSignInAllowed(c)) throw new AppError("not_found", "There is no such page.");
    const token = randomToken();
    await setSignedCookie(c, PRE_SESSION_COOKIE, token, c.var.deps.config.web.sessionSecret, shortCookie);
    return render(c, <DevSignIn token={token} errors={{}} values={{}} />);
  })
  .post("/dev/sign-in", async (c) => {
    if (!devSignInAllowed(c)) throw new AppError("not_found", "There is no such page.");
    const { config } = c.var.deps;
    const form = (await c.req.parseBody({ all: true })) as Form;
    const expected = await getSignedCookie(c, config.web.sessionSecret, PRE_SESSION_COOKIE, "host");
    if (!expected || !carriesToken(form, expected))
      throw new AppError("forbidden", "This form has expired. Reload the page and try again.");
    const values = {
      userId: field(form, "userId") ?? "",
      name: field(form, "name") ?? "",
      roles: fields(form, "roles"),
      authorities: field(form, "authorities") ?? "",
      profession: field(form, "profession") ?? "",
      agency: field(form, "agency") ?? "",
    };
    const claims = {
      sub: values.userId,
      name: values.name || undefined,
      roles: values.roles,
      profession: values.profession || undefined,
      agency: values.agency || undefined,
      authorities: values.authorities ? values.authorities.split(/[\s,]+/).filter(Boolean) : undefined,
    };
    const parsed = Claims.safeParse(claims);
    if (!parsed.success) {
      const errors: FieldErrors = {};
      for (const i of parsed.error.issues) {
        const key = ({ sub: "userId" } as Record<string, string>)[String(i.path[0])] ?? String(i.path[0] ?? "userId");
        errors[key] ??=
          key === "roles" ? "Choose at least one role" : key === "userId" ? "Enter a user id" : `${humanise(key)}: ${i.message}`;
      }
      return render(c, <DevSignIn token={expected} errors={errors} values={values} />, 422);
    }
    deleteCookie(c, PRE_SESSION_COOKIE, { path: "/", secure: true, prefix: "host" });
    return signedInAs(c, toPrincipal(parsed.data), "development");
  });

/** The people of the demo register (`npm run seed:demo`), one click each. */
const DEMO_PEOPLE = [
  {
    label: "Sgt Kim Rowe, police (enquirer)",
    userId: "sgt-kim",
    name: "Sgt Kim Rowe",
    roles: "enquirer",
    authorities: "",
    profession: "police_sergeant",
    agency: "Staffordshire Police",
  },
  {
    label: "Eddie Duty, Emergency Duty Team (duty officer)",
    userId: "edt-eddie",
    name: "Eddie Duty",
    roles: "duty_officer",
    authorities: "STAFFS,DORSET",
    profession: "",
    agency: "",
  },
  {
    label: "Sam Patel (key worker)",
    userId: "kw-sam",
    name: "Sam Patel",
    roles: "key_worker",
    authorities: "STAFFS",
    profession: "",
    agency: "",
  },
  {
    label: "Dee Manager (designated manager)",
    userId: "dm-dee",
    name: "Dee Manager",
    roles: "designated_manager",
    authorities: "STAFFS",
    profession: "",
    agency: "",
  },
  {
    label: "Audrey Auditor (auditor)",
    userId: "aud-audrey",
    name: "Audrey Auditor",
    roles: "auditor",
    authorities: "STAFFS",
    profession: "",
    agency: "",
  },
];

function DevSignIn(p: { token: string; errors: FieldErrors; values: Partial<Record<string, string | string[]>> }) {
  const v = p.values;
  return (
    <Page title="Development sign-in" session={null} hasErrors={Object.keys(p.errors).length > 0}>
      <ErrorSummary errors={p.errors} />
      <H1 caption="Not available in production">Development sign-in</H1>
      <Warning>This page stands in for your organisation's identity provider on a developer's machine. Production refuses it.</Warning>
      <form method="post" action="/dev/sign-in" novalidate>
        <CsrfField token={p.token} />
        <TextInput
          id="userId"
          label="User id"
          hint="The identity provider's subject. A key worker's must match the user id on their worker record."
          value={v.userId as string}
          error={p.errors.userId}
          width="20"
        />
        <TextInput id="name" label="Name" value={v.name as string} error={p.errors.name} width="20" />
        <Checkboxes
          id="roles"
          legend="Roles"
          error={p.errors.roles}
          choices={ROLES.map((r) => ({ value: r, label: humanise(r) }))}
          values={(v.roles as string[]) ?? []}
        />
        <TextInput
          id="authorities"
          label="Authorities"
          hint="Codes, separated by commas (for duty officers, key workers, designated managers and auditors)"
          value={v.authorities as string}
          error={p.errors.authorities}
          width="20"
        />
        <Select
          id="profession"
          label="Profession (enquirers)"
          value={v.profession as string}
          error={p.errors.profession}
          choices={[{ value: "", label: "None" }, ...PROFESSIONS.map((x) => ({ value: x.code, label: x.label }))]}
        />
        <TextInput
          id="agency"
          label="Agency (enquirers)"
          hint="As the register names it, for example Staffordshire Police"
          value={v.agency as string}
          error={p.errors.agency}
          width="30"
        />
        <Button>Sign in</Button>
      </form>
      <h2 class="govuk-heading-m">Or sign in as someone on the demo register</h2>
      <p class="govuk-body">
        After <code>npm run seed:demo</code>:
      </p>
      <ul class="govuk-list">
        {DEMO_PEOPLE.map((d) => (
          <li>
            <form method="post" action="/dev/sign-in">
              <CsrfField token={p.token} />
              {(["userId", "name", "roles", "authorities", "profession", "agency"] as const).map((k) => (
                <input type="hidden" name={k} value={d[k]} />
              ))}
              <Button secondary>{d.label}</Button>
            </form>
          </li>
        ))}
      </ul>
    </Page>
  );
}
