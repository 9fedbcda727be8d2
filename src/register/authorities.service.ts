import { asc, eq, gt, sql } from "drizzle-orm";
import { recordAudit } from "../audit/audit.service";
import { prepared } from "../db/prepared";
import { authorities, type OfficeHours } from "../db/schema";
import type { Queryable } from "../db/store";
import type { Ctx } from "../domain/ctx";
import { AppError, conflict, invalid } from "../lib/errors";
import { eligibleFor, isKnownProfession, PROFESSIONS } from "./professions";
import { actsFor, assertMayWriteTo, notInScope } from "./scope";

export const DEFAULT_OFFICE_HOURS: OfficeHours = { timezone: "Europe/London", days: [1, 2, 3, 4, 5], open: "08:45", close: "17:15" };

export interface AuthorityInput {
  code: string;
  name: string;
  firstResponsePhone: string;
  officeHours?: OfficeHours | undefined;
}

type AuthorityRow = typeof authorities.$inferSelect;

export const authorityView = (a: AuthorityRow) => ({
  code: a.code,
  name: a.name,
  firstResponsePhone: a.firstResponsePhone,
  officeHours: a.officeHours,
  professionsCustomised: a.eligibleProfessions !== null,
});

export async function createAuthority(ctx: Ctx, input: AuthorityInput) {
  assertMayWriteTo(ctx, input.code, "code");
  return ctx.store.write(async (tx) => {
    const existing = await tx.select({ code: authorities.code }).from(authorities).where(eq(authorities.code, input.code));
    if (existing.length) throw conflict(`Authority ${input.code} already exists.`, { type: "authority", id: input.code });
    const [row] = await tx
      .insert(authorities)
      .values({
        code: input.code,
        name: input.name,
        firstResponsePhone: input.firstResponsePhone,
        officeHours: input.officeHours ?? DEFAULT_OFFICE_HOURS,
        eligibleProfessions: null,
        createdAt: ctx.clock.now().toISOString(),
      })
      .returning();
    await recordAudit(tx, ctx, { action: "authority.create", target: { type: "authority", id: input.code }, authority: input.code });
    return authorityView(row!);
  });
}

export async function listAuthorities(ctx: Ctx, opts: { after?: string | undefined; limit: number }) {
  const rows = await ctx.store.read
    .select()
    .from(authorities)
    .where(opts.after ? gt(authorities.code, opts.after) : undefined)
    .orderBy(asc(authorities.code))
    .limit(opts.limit + 1);
  return rows.map(authorityView);
}

const authorityByCode = prepared((q) =>
  q
    .select()
    .from(authorities)
    .where(eq(authorities.code, sql.placeholder("code"))),
);

export async function findAuthority(q: Queryable, code: string) {
  const [row] = await authorityByCode(q).all({ code });
  return row ?? null;
}

/** An authority the caller manages; another one is not found. */
export async function managedAuthority(q: Queryable, ctx: Ctx, code: string) {
  const row = actsFor(ctx, code) ? await findAuthority(q, code) : null;
  if (!row) throw notInScope(`Authority ${code}`, { type: "authority", id: code });
  return row;
}

export async function patchAuthority(ctx: Ctx, code: string, patch: Partial<Omit<AuthorityInput, "code">>) {
  return ctx.store.write(async (tx) => {
    await managedAuthority(tx, ctx, code);
    const [row] = await tx.update(authorities).set(patch).where(eq(authorities.code, code)).returning();
    await recordAudit(tx, ctx, {
      action: "authority.update",
      target: { type: "authority", id: code },
      authority: code,
      detail: { fields: Object.keys(patch) },
    });
    return authorityView(row!);
  });
}

/** Seed 004 §58 is the default; each authority may set its own list (audited). */
export async function setEligibleProfessions(ctx: Ctx, code: string, codes: string[]) {
  const unknown = codes.map((c, i) => ({ c, i })).filter(({ c }) => !isKnownProfession(c));
  if (unknown.length)
    throw invalid(
      "Some profession codes are not known: see GET /v1/professions for the codes.",
      unknown.map(({ c, i }) => ({ path: `codes.${i}`, message: `"${c}" is not a known profession code` })),
    );
  return ctx.store.write(async (tx) => {
    const before = await managedAuthority(tx, ctx, code);
    const list = [...new Set(codes)];
    await tx.update(authorities).set({ eligibleProfessions: list }).where(eq(authorities.code, code));
    await recordAudit(tx, ctx, {
      action: "authority.professions.update",
      target: { type: "authority", id: code },
      authority: code,
      detail: { before: eligibleFor(before.eligibleProfessions), after: list },
    });
    return professionItems(list);
  });
}

const professionItems = (codes: string[]) =>
  PROFESSIONS.filter((p) => codes.includes(p.code)).map((p) => ({ code: p.code, label: p.label }));

/**
 * The professions eligible to enquire of an authority. With no authority named, the
 * deployment's only authority if it has one, else the default list.
 */
export async function listProfessions(ctx: Ctx, code: string | undefined) {
  if (code) {
    const row = await findAuthority(ctx.store.read, code);
    if (!row) throw new AppError("not_found", `Authority ${code} was not found.`, { target: { type: "authority", id: code } });
    return professionItems(eligibleFor(row.eligibleProfessions));
  }
  const rows = await ctx.store.read.select().from(authorities).limit(2);
  return professionItems(eligibleFor(rows.length === 1 ? rows[0]!.eligibleProfessions : null));
}
