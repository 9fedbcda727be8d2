import { and, asc, eq, gt, inArray } from "drizzle-orm";
import { recordAudit } from "../audit/audit.service";
import { workers } from "../db/schema";
import type { Queryable } from "../db/store";
import type { Ctx } from "../domain/ctx";
import { conflict, invalid } from "../lib/errors";
import { newId } from "../lib/ids";
import { findAuthority } from "./authorities.service";
import { assertMayWriteTo } from "./scope";

export interface WorkerInput {
  authority: string;
  name: string;
  team?: string | null | undefined;
  phone?: string | null | undefined;
  email?: string | null | undefined;
  userId?: string | null | undefined;
  externalId?: string | null | undefined;
}

type WorkerRow = typeof workers.$inferSelect;
export const workerView = (w: WorkerRow) => ({
  id: w.id,
  authority: w.authority,
  externalId: w.externalId,
  name: w.name,
  team: w.team,
  phone: w.phone,
  email: w.email,
  userId: w.userId,
});

export async function createWorker(ctx: Ctx, input: WorkerInput) {
  assertMayWriteTo(ctx, input.authority);
  return ctx.store.write(async (tx) => {
    if (!(await findAuthority(tx, input.authority)))
      throw invalid(`Authority ${input.authority} does not exist yet.`, [{ path: "authority", message: "is not a known authority" }]);
    // Only this authority's workers are looked at: whether another authority has linked the
    // login is not this manager's to learn, and it may (a key worker for several authorities).
    if (input.userId) {
      const taken = await tx
        .select({ id: workers.id })
        .from(workers)
        .where(and(eq(workers.authority, input.authority), eq(workers.userId, input.userId)));
      if (taken.length) throw conflict(`Another worker of ${input.authority} is already linked to login ${input.userId}.`);
    }
    if (input.externalId) {
      const taken = await tx
        .select({ id: workers.id })
        .from(workers)
        .where(and(eq(workers.authority, input.authority), eq(workers.externalId, input.externalId)));
      if (taken.length) throw conflict(`Worker ${input.externalId} already exists in ${input.authority}.`);
    }
    const [row] = await tx
      .insert(workers)
      .values({
        id: newId(),
        authority: input.authority,
        externalId: input.externalId ?? null,
        name: input.name,
        team: input.team ?? null,
        phone: input.phone ?? null,
        email: input.email ?? null,
        userId: input.userId ?? null,
        createdAt: ctx.clock.now().toISOString(),
      })
      .returning();
    await recordAudit(tx, ctx, { action: "worker.create", target: { type: "worker", id: row!.id }, authority: input.authority });
    return workerView(row!);
  });
}

export async function listWorkers(ctx: Ctx, opts: { authority?: string | undefined; after?: string | undefined; limit: number }) {
  const scope = opts.authority ? [opts.authority].filter((a) => ctx.principal.authorities.includes(a)) : ctx.principal.authorities;
  if (!scope.length) return [];
  const rows = await ctx.store.read
    .select()
    .from(workers)
    .where(and(inArray(workers.authority, scope), opts.after ? gt(workers.id, opts.after) : undefined))
    .orderBy(asc(workers.id))
    .limit(opts.limit + 1);
  return rows.map(workerView);
}

/** A key worker must belong to the child's authority. */
export async function workerOfAuthority(q: Queryable, id: string, authority: string, path: string) {
  const [row] = await q
    .select()
    .from(workers)
    .where(and(eq(workers.id, id), eq(workers.authority, authority)));
  if (!row)
    throw invalid("The key worker is not one of this authority's workers.", [
      { path, message: "is not a worker of the child's authority" },
    ]);
  return row;
}
