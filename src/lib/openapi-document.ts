/**
 * What the served OpenAPI document says of itself, beside its paths: the service, its tags,
 * and how a caller signs in. src/app.ts hands these to `doc31` and
 * `registerComponent`, so the document's lint (`npm run lint:api`) has them in one place.
 */

/** The bearer token every /v1 route takes (api.md, "Access tokens"). */
export const BEARER_SCHEME = {
  type: "http",
  scheme: "bearer",
  bearerFormat: "JWT",
  description:
    "An access token from the authority's identity provider: a JWS verified against the configured key (RS256, ES256 or EdDSA from its JWKS; HS256 only outside production) with an algorithm allow-list, `iss`, `aud`, `exp` and `nbf` checked, following RFC8725 (JSON Web Token Best Current Practices).",
} as const;

/** Every tag an operation uses, in the order the document lists them. */
export const TAGS = [
  {
    name: "Register",
    description:
      "The register itself: authorities, key workers, agencies, children, their cases, plans and conferences, closure days, delivery settings and the bulk import (designated managers).",
  },
  {
    name: "Enquiries",
    description: "Enquiries about a child, and the enquirer's own list of them with the answers once given (enquirers).",
  },
  {
    name: "Call-back queue",
    description:
      "The duty officers' queue: claim an enquiry, settle a possible match, and record the call-back that gives the answer (duty officers).",
  },
  {
    name: "Moves and deadlines",
    description: "Children moving in and out of an authority, and the receiving-in conferences they make due (designated managers).",
  },
  { name: "Notifications", description: "Key workers' notifications of enquiries about the children whose cases they hold (key workers)." },
  {
    name: "Considerations",
    description:
      "Child-in-need considerations opened by repeated enquiries about a child not known, and alerts of suspected trawls (designated managers).",
  },
  { name: "Statistics", description: "Figures for the Safeguarding Children Board (designated managers)." },
  { name: "Audit", description: "The access log and its hash chain (auditors)." },
];

/** The configuration `doc31` takes: everything but the paths and components it generates. */
export const OPENAPI_DOCUMENT = {
  openapi: "3.1.0",
  info: {
    title: "Child protection register enquiry service",
    version: "1.0.0",
    description: "The enquiry desk of a local authority's child protection register: see docs/api.md for the contract.",
    contact: { name: "The register's custodian, through the authority's children's social care service desk" },
  },
  // No `servers`: each deployment serves its own document at its own address, and Swagger UI
  // draws a servers list without an accessible name (axe: select-name, critical).
  tags: TAGS,
  security: [{ bearer: [] }],
};
