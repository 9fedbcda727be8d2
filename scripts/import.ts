/**
 * The bulk import from the command line, against DATABASE_URL:
 *   npm run import -- FILE [--authority CODE ...] [--workers WORKERS.ndjson]
 * The same checks and writes as POST /v1/import (every line checked first; nothing written
 * if any is bad), reading the file twice instead of holding it. --workers first upserts the
 * key workers the children's cases name (one worker a line: authority, externalId, name,
 * team, phone, email, userId).
 */
import { createReadStream, statSync } from "node:fs";
import { parseArgs } from "node:util";
import { Presets, SingleBar } from "cli-progress";
import { migrateDatabase } from "../src/db/migrate";
import { openNodeClient } from "../src/db/open-node";
import { createStore, isEmbeddedUrl } from "../src/db/store";
import { runImport } from "../src/import/importer";
import { lines } from "../src/import/lines";
import { importWorkers } from "../src/import/workers-import";
import { systemClock } from "../src/lib/clock";
import { ConfigError, parseConfig } from "../src/lib/config";
import { AppError } from "../src/lib/errors";
import { toPrincipal } from "../src/lib/principal";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { authority: { type: "string", multiple: true }, workers: { type: "string" }, batch: { type: "string" } },
});
const file = positionals[0];
if (!file) {
  console.error("Usage: npm run import -- FILE [--authority CODE] [--workers WORKERS.ndjson]");
  process.exit(2);
}
let config: ReturnType<typeof parseConfig>;
try {
  config = parseConfig(process.env);
} catch (err) {
  console.error(err instanceof ConfigError ? err.message : String(err));
  process.exit(2);
}
const client = await openNodeClient(config.databaseUrl, config.databaseAuthToken, config.databaseEncryptionKey);
if (isEmbeddedUrl(config.databaseUrl)) await migrateDatabase(client);
const store = createStore(client, { serialiseWrites: isEmbeddedUrl(config.databaseUrl), auditHashKey: config.audit.hashKey });
const read = (path: string) => () => lines(createReadStream(path, { highWaterMark: 1024 * 1024 }) as AsyncIterable<Uint8Array>);

// The authorities this import acts for: those named, or every authority the file names.
const authorities =
  values.authority?.map((a) => a.toUpperCase()) ?? (await client.execute("SELECT code FROM authorities")).rows.map((r) => String(r.code));
const principal = toPrincipal({
  sub: `import-cli:${process.env.USER ?? "operator"}`,
  name: "Command-line import",
  roles: ["designated_manager"],
  authorities,
});
const ctx = { store, clock: systemClock, principal, requestId: `cli-${Date.now()}`, config };

const started = performance.now();
try {
  if (values.workers) {
    const w = await importWorkers(ctx, read(values.workers)());
    console.log(`Workers: ${w.created} created, ${w.updated} updated.`);
  }
  const total = await (async () => {
    let n = 0;
    for await (const _ of read(file)()) n++;
    return n;
  })();
  const bar = new SingleBar(
    { format: " {phase} [{bar}] {percentage}% | {value}/{total} lines | {eta_formatted} left", hideCursor: true, stream: process.stderr },
    Presets.shades_classic,
  );
  bar.start(total, 0, { phase: "check" });
  const result = await runImport(ctx, read(file), {
    batchSize: values.batch ? Number(values.batch) : 1000,
    onProgress: (phase, n) => {
      if (n % 1000 === 0 || n === total) bar.update(n, { phase: phase === "validate" ? "check" : "write" });
    },
  });
  bar.stop();
  const secs = (performance.now() - started) / 1000;
  console.log(
    `Imported ${file} (${(statSync(file).size / 1e6).toFixed(1)} MB, ${result.lines} lines) in ${secs.toFixed(1)} s: ${result.created} created, ${result.updated} updated, ${result.unchanged} unchanged. Peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB.`,
  );
} catch (err) {
  if (err instanceof AppError) {
    console.error(`\nImport refused: ${err.detail}`);
    for (const e of (err.options.errors ?? []).slice(0, 50)) console.error(`  ${e.path}: ${e.message}`);
    process.exitCode = 1;
  } else throw err;
} finally {
  client.close();
}
