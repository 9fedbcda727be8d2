import { createRoute, z } from "@hono/zod-openapi";
import { ctxOf, requireRole } from "../auth/middleware";
import { decodeCursor, page, PageQuery, toPage } from "../lib/pagination";
import { PhoneNumber } from "../lib/phone";
import { createRouter, errorResponses, jsonBody, jsonResponse } from "../lib/router";
import {
  createAuthority,
  listAuthorities,
  listProfessions,
  patchAuthority,
  setEligibleProfessions,
} from "./authorities.service";

const isTimeZone = (tz: string) => {
  try {
    new Intl.DateTimeFormat("en-GB", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};
const ClockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be a time as HH:MM");

export const OfficeHoursSchema = z
  .strictObject({
    timezone: z.string().max(64).refine(isTimeZone, "is not a known time zone").default("Europe/London"),
    days: z
      .array(z.number().int().min(1).max(7))
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
  .openapi({ example: "STAFFS" });

const AuthorityCreate = z
  .strictObject({
    code: AuthorityCode,
    name: z.string().trim().min(1).max(200),
    firstResponsePhone: PhoneNumber,
    officeHours: OfficeHoursSchema.optional(),
  })
  .openapi("AuthorityCreate");

const AuthorityPatch = z
  .strictObject({
    name: z.string().trim().min(1).max(200).optional(),
    firstResponsePhone: PhoneNumber.optional(),
    officeHours: OfficeHoursSchema.optional(),
  })
  .refine((p) => Object.values(p).some((v) => v !== undefined), { message: "give at least one field to change" })
  .openapi("AuthorityPatch");

export const AuthoritySchema = z
  .object({
    code: z.string(),
    name: z.string(),
    firstResponsePhone: z.string().openapi({ example: "+441785277041" }),
    officeHours: OfficeHoursSchema,
    professionsCustomised: z.boolean(),
  })
  .openapi("Authority");

const ProfessionSchema = z.object({ code: z.string(), label: z.string() }).openapi("Profession");
const CodeParam = z.object({ code: AuthorityCode.openapi({ param: { name: "code", in: "path" } }) });

const dmOnly = [requireRole("designated_manager")];

const create = createRoute({
  method: "post",
  path: "/v1/authorities",
  tags: ["Register"],
  summary: "Create an authority whose code your token lists",
  middleware: dmOnly,
  request: { body: jsonBody(AuthorityCreate) },
  responses: { 201: jsonResponse(AuthoritySchema, "Created"), ...errorResponses(409, 422) },
});

const list = createRoute({
  method: "get",
  path: "/v1/authorities",
  tags: ["Register"],
  summary: "The authorities this deployment holds (any signed-in user)",
  request: { query: PageQuery },
  responses: { 200: jsonResponse(page(AuthoritySchema), "Authorities"), ...errorResponses() },
});

const patch = createRoute({
  method: "patch",
  path: "/v1/authorities/{code}",
  tags: ["Register"],
  summary: "Change an authority's name, First Response number or office hours",
  middleware: dmOnly,
  request: { params: CodeParam, body: jsonBody(AuthorityPatch) },
  responses: { 200: jsonResponse(AuthoritySchema, "The authority as it now stands"), ...errorResponses(404, 422) },
});

const professions = createRoute({
  method: "get",
  path: "/v1/professions",
  tags: ["Register"],
  summary: "The professions eligible to enquire of an authority (default: seed 004 §58)",
  request: { query: z.object({ authority: AuthorityCode.optional() }) },
  responses: { 200: jsonResponse(z.object({ items: z.array(ProfessionSchema) }), "Eligible professions"), ...errorResponses(404) },
});

const setProfessions = createRoute({
  method: "put",
  path: "/v1/authorities/{code}/professions",
  tags: ["Register"],
  summary: "Set an authority's list of eligible professions (audited)",
  middleware: dmOnly,
  request: { params: CodeParam, body: jsonBody(z.strictObject({ codes: z.array(z.string().max(100)).min(1).max(100) })) },
  responses: { 200: jsonResponse(z.object({ items: z.array(ProfessionSchema) }), "The list as it now stands"), ...errorResponses(404, 422) },
});

export const authorityRoutes = createRouter()
  .openapi(create, async (c) => c.json(await createAuthority(ctxOf(c), c.req.valid("json")), 201))
  .openapi(list, async (c) => {
    const q = c.req.valid("query");
    const rows = await listAuthorities(ctxOf(c), { after: decodeCursor(q.cursor), limit: q.limit });
    return c.json(toPage(rows, q.limit, (a) => a.code, c.req.url), 200);
  })
  .openapi(patch, async (c) => c.json(await patchAuthority(ctxOf(c), c.req.valid("param").code, c.req.valid("json")), 200))
  .openapi(professions, async (c) => c.json({ items: await listProfessions(ctxOf(c), c.req.valid("query").authority) }, 200))
  .openapi(setProfessions, async (c) =>
    c.json({ items: await setEligibleProfessions(ctxOf(c), c.req.valid("param").code, c.req.valid("json").codes) }, 200),
  );
