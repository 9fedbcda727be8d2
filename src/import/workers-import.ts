import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { recordAudit } from "../audit/audit.service";
import { workers } from "../db/schema";
import type { Ctx } from "../domain/ctx";
import { AppError } from "../lib/errors";
import { newId } from "../lib/ids";
import { PhoneNumber } from "../lib/phone";
import { parseLine } from "./validate";

const WorkerLine = z.strictObject({
  authority: z.string().min(1).max(20),
  externalId: z.string().trim().min(1).max(100),
  name: z.string().trim().min(1).max(200),
  team: z.string().trim().max(200).nullish(),
  phone: PhoneNumber.nullish(),
  email: z.email().max(320).nullish(),
  userId: z.string().min(1).max(200).nullish(),
});

/** Key workers from the case system, one a line, upserted by (authority, externalId); all checked before any is written. */
export async function importWorkers(ctx: Ctx, source: AsyncIterable<string>) {
  const parsed: z.infer<typeof WorkerLine>[] = [];
  const bad: { line: number; errors: { path: string; message: string }[] }[] = [];
  let n = 0;
  for await (const text of source) {
    n++;
    if (!text.trim()) continue;
    const r = parseLine(WorkerLine, text);
    if (!r.ok) bad.push({ line: n, errors: r.errors });
    else if (!ctx.principal.authorities.includes(r.data.authority))
      bad.push({ line: n, errors: [{ path: "authority", message: "is not one of your authorities" }] });
    else parsed.push(r.data);
  }
  if (bad.length)
    throw new AppError("invalid", `${bad.length} worker lines are not valid; nothing was imported.`, {
      errors: bad.flatMap((b) => b.errors.map((e) => ({ path: `line ${b.line}: ${e.path}`, message: e.message }))),
    });
  return ctx.store.write(async (tx) => {
    let created = 0;
    let updated = 0;
    for (const w of parsed) {
      const values = { name: w.name, team: w.team ?? null, phone: w.phone ?? null, email: w.email ?? null, userId: w.userId ?? null };
      const [found] = await tx
        .select({ id: workers.id })
        .from(workers)
        .where(and(eq(workers.authority, w.authority), eq(workers.externalId, w.externalId)));
      if (found) {
        await tx.update(workers).set(values).where(eq(workers.id, found.id));
        updated++;
      } else {
        await tx
          .insert(workers)
          .values({ id: newId(), authority: w.authority, externalId: w.externalId, createdAt: ctx.clock.now().toISOString(), ...values });
        created++;
      }
    }
    await recordAudit(tx, ctx, { action: "register.import_workers", target: null, detail: { created, updated } });
    return { created, updated };
  });
}
