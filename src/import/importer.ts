import { recordAudit, recordAudits } from "../audit/audit.service";
import type { Ctx } from "../domain/ctx";
import { AppError } from "../lib/errors";
import { applyBatch, lineHash, type Parsed } from "./apply";
import { checkLine, ImportContext, validateImport } from "./validate";

export interface ImportOptions {
  batchSize?: number;
  onProgress?: (phase: "validate" | "write", lines: number) => void;
}

/**
 * A bulk import from the case system (api.md, POST /v1/import): every line is checked
 * first and any bad line stops it before anything is written (422 naming each bad line and
 * field); then the lines are written in batches, each its own transaction, so that
 * enquiries are never held up behind a long import. Re-running an import is safe: lines
 * already written are unchanged the second time.
 */
export async function runImport(ctx: Ctx, read: () => AsyncIterable<string>, opts: ImportOptions = {}) {
  const ic = new ImportContext(ctx.store.read, ctx);
  const checked = await validateImport(ic, read(), { onLine: (n) => opts.onProgress?.("validate", n) });
  if (checked.invalid > 0)
    throw new AppError("invalid", `${checked.invalid} of ${checked.lines} lines are not valid; nothing was imported.`, {
      errors: checked.bad.flatMap((b) => b.errors.map((e) => ({ path: `line ${b.line}: ${e.path}`, message: e.message }))).slice(0, 1000),
      extra: { lines: checked.bad, invalidLines: checked.invalid },
    });

  ic.forgetMoves();
  const size = opts.batchSize ?? 500;
  const totals = { created: 0, updated: 0, unchanged: 0, lines: 0 };
  let batch: Parsed[] = [];
  const flush = async () => {
    if (!batch.length) return;
    const now = ctx.clock.now().toISOString();
    const current = batch;
    batch = [];
    // Each child the batch creates or changes is audited against that child, in the batch's own
    // transaction: the record and its audit entry stand or fall together, and the child's
    // audit trail shows the import. A line skipped as unchanged wrote nothing, so has no entry.
    const r = await ctx.store.write(async (tx) => {
      const applied = await applyBatch(tx, current, now, ic.today, (a) => ic.workers(a));
      await recordAudits(
        tx,
        ctx,
        applied.changes.map((c) => ({
          action: "register.import.child",
          target: { type: "child", id: c.childId },
          authority: c.authority,
          detail: { externalId: c.externalId, change: c.change, ...(c.parts ? { parts: c.parts } : {}) },
        })),
      );
      return applied;
    });
    ic.forgetMoves();
    totals.created += r.created;
    totals.updated += r.updated;
    totals.unchanged += r.unchanged;
  };
  for await (const text of read()) {
    totals.lines++;
    opts.onProgress?.("write", totals.lines);
    if (!text.trim()) continue;
    const c = await checkLine(text, ic);
    // The first pass checked every line; a file that changed between the passes is refused here.
    if (!c.ok) throw new AppError("conflict", `Line ${totals.lines} changed while the import was running.`);
    batch.push({ line: c.line, hash: await lineHash(c.line) });
    if (batch.length >= size) await flush();
  }
  await flush();
  await ctx.store.write((tx) => recordAudit(tx, ctx, { action: "register.import", target: null, detail: totals }));
  return totals;
}
