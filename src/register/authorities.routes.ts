import { createRoute, z } from "@hono/zod-openapi";
import { ctxOf, requireRole } from "../http/middleware";
import { createRouter, errorResponses, jsonBody, jsonResponse, signedInErrorResponses } from "../http/router";
import { AuthorityCodeOut, MAX, NameOut, PhoneOut, Text } from "../lib/fields";
import { decodeCursor, PageQuery, page, toPage } from "../lib/pagination";
import { PhoneNumber } from "../lib/phone";
import { createAuthority, listAuthorities, listProfessions, patchAuthority, setEligibleProfessions } from "./authorities.service";

const isTimeZone = (tz: string) => {
  try {
    new Intl.DateTimeFormat("en-GB", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};
const ClockTime = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be a time as HH:MM")
  .openapi({ maxLength: 5 });

export const OfficeHoursSchema = z
  .strictObject({
    timezone: z.string().max(64).refine(isTimeZone, "is not a known time zone").default("Europe/London"),
    days: z
      .array(z.number().int().min(1).max(7).openapi({ format: "int32" }))
      .min(1)
      .max(7)
      .refine((d) => new Set(d).size === d.length, "must not repeat a day")
      .openapi({ description: "ISO weekdays, 1 = Monday ... 7 = Sunday" }),
    open: ClockTime.openapi({ example: "08:45" }),
    close: ClockTime.openapi({ example: "17:15" }),
  })
  .refine((h) => h.open < h.close, { path: ["close"], message: "must be after open" })
  .openapi("OfficeHours");

const AuthorityCode = z
  .string()
  .regex(/^[A-Z][A-Z0-9_]{1,19}$/, "must be 2-20 capital letters, digits or underscores")
  .openapi({ maxLength: MAX.authority, example: "STAFFS" });

const AuthorityCreate = z
  .strictObject({
    code: AuthorityCode,
    name: z.string().trim().min(1).max(MAX.name),
    firstResponsePhone: PhoneNumber,
    officeHours: OfficeHoursSchema.optional(),
  })
  .openapi("AuthorityCreate");

const AuthorityPatch = z
  .strictObject({
    name: z.string().trim().min(1).max(MAX.name).optional(),
    firstResponsePhone: PhoneNumber.optional(),
    officeHours: OfficeHoursSchema.optional(),
  })
  .refine((p) => Object.values(p).some((v) => v !== undefined), { message: "give at least one field to change" })
  .openapi("AuthorityPatch");

export const AuthoritySchema = z
  .object({
    code: AuthorityCodeOut,
    name: NameOut,
    firstResponsePhone: PhoneOut,
    officeHours: OfficeHoursSchema,
    professionsCustomised: z.boolean(),
  })
  .openapi("Authority");

const ProfessionSchema = z.object({ code: Text(MAX.label), label: Text(MAX.label) }).openapi("Profession");
/** An authority's list holds at most 100 codes (PUT below); the default list is shorter. */
const Professions = z.object({ items: z.array(ProfessionSchema).max(100) });
const CodeParam = z.object({ code: AuthorityCode.openapi({ param: { name: "code", in: "path" } }) });

const dmOnly = [requireRole("designated_manager")];

const create = createRoute({
  method: "post",
  path: "/v1/authorities",
  tags: ["Register"],
  summary: "Create an authority whose code your token lists",
  operationId: "createAuthority",
  description:
    "Creates an authority this deployment holds, with its First Response number and office hours (default Monday to Friday, 08:45 to 17:15, Europe/London). The code must be one the token lists in `authorities`; 409 if it exists. Designated managers only.",
  middleware: dmOnly,
  request: { body: jsonBody(AuthorityCreate) },
  responses: { 201: jsonResponse(AuthoritySchema, "Created"), ...errorResponses(409, 422) },
});

const list = createRoute({
  method: "get",
  path: "/v1/authorities",
  tags: ["Register"],
  summary: "The authorities this deployment holds (any signed-in user)",
  operationId: "listAuthorities",
  description:
    "Every authority of this deployment with its name, First Response number and office hours, by code: the reference data an enquiry form needs. Any signed-in user.",
  request: { query: PageQuery },
  responses: { 200: jsonResponse(page(AuthoritySchema), "Authorities"), ...signedInErrorResponses() },
});

const patch = createRoute({
  method: "patch",
  path: "/v1/authorities/{code}",
  tags: ["Register"],
  summary: "Change an authority's name, First Response number or office hours",
  operationId: "patchAuthority",
  description:
    "Changes the fields given of one of your authorities; those left out stay as they are. Designated managers only, for their own authorities (the token's `authorities`).",
  middleware: dmOnly,
  request: { params: CodeParam, body: jsonBody(AuthorityPatch) },
  responses: { 200: jsonResponse(AuthoritySchema, "The authority as it now stands"), ...errorResponses(404, 422) },
});

const professions = createRoute({
  method: "get",
  path: "/v1/professions",
  tags: ["Register"],
  summary: "The professions eligible to enquire of an authority (default: seed 004 §58)",
  operationId: "listProfessions",
  description:
    "The professions that may enquire of an authority: its own list once set, else the default of seed 004 §58. Leave `authority` out when the deployment holds one authority. Any signed-in user.",
  request: { query: z.object({ authority: AuthorityCode.optional() }) },
  responses: { 200: jsonResponse(Professions, "Eligible professions"), ...signedInErrorResponses(404) },
});

const setProfessions = createRoute({
  method: "put",
  path: "/v1/authorities/{code}/professions",
  tags: ["Register"],
  summary: "Set an authority's list of eligible professions (audited)",
  operationId: "setEligibleProfessions",
  description:
    "Replaces an authority's list of professions that may enquire (codes from GET /v1/professions); an enquirer of another profession is then refused with 403. Audited. Designated managers only, for their own authorities (the token's `authorities`).",
  middleware: dmOnly,
  request: { params: CodeParam, body: jsonBody(z.strictObject({ codes: z.array(z.string().max(MAX.label)).min(1).max(100) })) },
  responses: { 200: jsonResponse(Professions, "The list as it now stands"), ...errorResponses(404, 422) },
});

export const authorityRoutes = createRouter()
  .openapi(create, async (c) => c.json(await createAuthority(ctxOf(c), c.req.valid("json")), 201))
  .openapi(list, async (c) => {
    const q = c.req.valid("query");
    const rows = await listAuthorities(ctxOf(c), { after: decodeCursor(q.cursor), limit: q.limit });
    return c.json(
      toPage(rows, q.limit, (a) => a.code, c.req.url),
      200,
    );
  })
  .openapi(patch, async (c) => c.json(await patchAuthority(ctxOf(c), c.req.valid("param").code, c.req.valid("json")), 200))
  .openapi(professions, async (c) => c.json({ items: await listProfessions(ctxOf(c), c.req.valid("query").authority) }, 200))
  .openapi(setProfessions, async (c) =>
    c.json({ items: await setEligibleProfessions(ctxOf(c), c.req.valid("param").code, c.req.valid("json").codes) }, 200),
  );
