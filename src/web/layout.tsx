import type { Child, FC, PropsWithChildren } from "hono/jsx";
import { DESKS, desksFor } from "./desks";
import type { WebSession } from "./session";
import { CsrfField } from "./ui";

export const SERVICE_NAME = "Child protection register enquiries";

const MANAGER_LINKS = [
  { href: "/register", label: "Search" },
  { href: "/register/on-plan", label: "Children on a plan" },
  { href: "/considerations", label: "Considerations" },
  { href: "/alerts", label: "Alerts" },
  { href: "/deadlines", label: "Deadlines" },
  { href: "/import", label: "Import" },
  { href: "/stats", label: "Statistics" },
];

/** Out of office hours the out-of-hours service acts as the designated manager (the Pan Dorset note). */
const OUT_OF_HOURS_LINKS = [
  { href: "/considerations", label: "Considerations (out of hours)" },
  { href: "/alerts", label: "Alerts (out of hours)" },
];

/**
 * Every page: the GOV.UK Frontend template with the service's own header (this is a
 * council's service, not GOV.UK's, so no crown). Titles never carry a child's details:
 * browsers keep them in history and tab lists.
 */
export const Page: FC<
  PropsWithChildren<{ title: string; session: WebSession | null; active?: string; scripts?: string[]; hasErrors?: boolean }>
> = (p) => {
  const desks = p.session ? desksFor(p.session.principal.roles) : [];
  const all = desks.flatMap((d) =>
    d.role === "designated_manager"
      ? MANAGER_LINKS
      : d.role === "duty_officer"
        ? [{ href: d.href, label: d.label }, ...OUT_OF_HOURS_LINKS]
        : [{ href: d.href, label: d.label }],
  );
  // Someone who is both manager and duty officer sees each page once.
  const links = all.filter((l, i) => all.findIndex((m) => m.href === l.href) === i);
  return (
    <html lang="en" class="govuk-template govuk-template--rebranded">
      <head>
        <meta charset="utf-8" />
        <title>{`${p.hasErrors ? "Error: " : ""}${p.title} – ${SERVICE_NAME}`}</title>
        {/* No icon of its own: an empty one stops browsers asking for /favicon.ico. */}
        <link rel="icon" href="data:," />
        <meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover" />
        <meta name="robots" content="noindex, nofollow" />
        <link rel="stylesheet" href="/assets/govuk/desks.css" />
        <link rel="stylesheet" href="/assets/app/app.css" />
        <script type="module" src="/assets/app/app.js"></script>
        {(p.scripts ?? []).map((s) => (
          <script type="module" src={s}></script>
        ))}
      </head>
      <body class="govuk-template__body">
        <a href="#main-content" class="govuk-skip-link" data-module="govuk-skip-link">
          Skip to main content
        </a>
        <header class="app-header" role="banner">
          <div class="govuk-width-container app-header__inner">
            <a href="/" class="app-header__service">
              {SERVICE_NAME}
            </a>
            {p.session ? (
              <form method="post" action="/sign-out" class="app-header__account">
                <span class="app-header__user">{p.session.principal.name}</span>
                <CsrfField token={p.session.csrf} />
                <button type="submit" class="app-link-button">
                  Sign out
                </button>
              </form>
            ) : null}
          </div>
        </header>
        {links.length ? (
          <nav class="govuk-service-navigation" aria-label="Menu" data-module="govuk-service-navigation">
            <div class="govuk-width-container">
              <div class="govuk-service-navigation__container">
                <ul class="govuk-service-navigation__list" id="navigation">
                  {links.map((l) => (
                    <li class={`govuk-service-navigation__item${p.active === l.href ? " govuk-service-navigation__item--active" : ""}`}>
                      <a class="govuk-service-navigation__link" href={l.href} aria-current={p.active === l.href ? "page" : undefined}>
                        {l.label}
                      </a>
                    </li>
                  ))}
                </ul>
              </div>
            </div>
          </nav>
        ) : null}
        <div class="govuk-width-container">
          <main class="govuk-main-wrapper" id="main-content">
            {p.children}
          </main>
        </div>
        <footer class="govuk-footer">
          <div class="govuk-width-container">
            <div class="govuk-footer__meta">
              <div class="govuk-footer__meta-item govuk-footer__meta-item--grow">
                <p class="govuk-body-s">Every look at a child's record is recorded. Use what you see only to protect the child.</p>
                <a class="govuk-footer__link" href="/docs">
                  API documentation
                </a>
              </div>
            </div>
          </div>
        </footer>
      </body>
    </html>
  );
};

export const H1: FC<PropsWithChildren<{ caption?: string }>> = ({ caption, children }) => (
  <h1 class="govuk-heading-l">
    {caption ? <span class="govuk-caption-l">{caption}</span> : null}
    {children}
  </h1>
);

export const deskList = (roles: readonly string[]): Child => (
  <ul class="govuk-list">
    {DESKS.filter((d) => roles.includes(d.role)).map((d) => (
      <li>
        <h2 class="govuk-heading-m">
          <a class="govuk-link" href={d.href}>
            {d.label}
          </a>
        </h2>
        <p class="govuk-body">{d.description}</p>
      </li>
    ))}
  </ul>
);
