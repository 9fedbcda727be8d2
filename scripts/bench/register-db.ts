/**
 * The synthetic register the benchmarks run on: generated as import NDJSON under data/bench/
 * and imported into its own embedded database file, both reused when already there (a
 * million children take minutes to build).
 */

import { once } from "node:events";
import { createReadStream, createWriteStream, existsSync, mkdirSync } from "node:fs";
import type { Client } from "@libsql/client";
import { migrateDatabase } from "../../src/db/migrate";
import { openNodeClient } from "../../src/db/open-node";
import { authorities } from "../../src/db/schema";
import { createStore, type Store } from "../../src/db/store";
import { runImport } from "../../src/import/importer";
import { lines } from "../../src/import/lines";
import { importWorkers } from "../../src/import/workers-import";
import { fixedClock } from "../../src/lib/clock";
import { DEVELOPMENT_AUDIT_HASH_KEY, parseConfig } from "../../src/lib/config";
import { toPrincipal } from "../../src/lib/principal";
import { generateRegister } from "../synth/register";

export const BENCH_AUTHORITY = "SYNTH";
export const BENCH_AS_OF = "2026-11-01";

export interface BenchRegister {
  file: string;
  workersFile: string;
  dbFile: string;
}

export const registerPaths = (children: number, seed: number): BenchRegister => {
  const file = `data/bench/register-${children}-${seed}.ndjson`;
  return { file, workersFile: file.replace(/\.ndjson$/, ".workers.ndjson"), dbFile: `data/bench/register-${children}-${seed}.db` };
};

/** Generates the register file if it is missing; returns the paths. */
export async function ensureRegisterFile(children: number, seed: number): Promise<BenchRegister> {
  mkdirSync("data/bench", { recursive: true });
  const paths = registerPaths(children, seed);
  if (existsSync(paths.file) && existsSync(paths.workersFile)) return paths;
  const t0 = performance.now();
  const out = createWriteStream(paths.file);
  const wout = createWriteStream(paths.workersFile);
  for (const item of generateRegister({ children, seed, authority: BENCH_AUTHORITY, asOf: BENCH_AS_OF })) {
    const [s, row] = "worker" in item ? [wout, item.worker] : [out, item.child];
    if (!s.write(`${JSON.stringify(row)}\n`)) await once(s, "drain");
  }
  out.end();
  wout.end();
  await Promise.all([once(out, "finish"), once(wout, "finish")]);
  console.log(`generated ${paths.file} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return paths;
}

/** Opens (building it first if it is missing) the register's database. */
export async function openRegisterDb(children: number, seed: number): Promise<{ paths: BenchRegister; client: Client; store: Store }> {
  const paths = await ensureRegisterFile(children, seed);
  const fresh = !existsSync(paths.dbFile);
  const client = await openNodeClient(`file:${paths.dbFile}`);
  await migrateDatabase(client);
  const store = createStore(client, { serialiseWrites: true, auditHashKey: DEVELOPMENT_AUDIT_HASH_KEY });
  if (fresh) {
    const ctx = {
      store,
      clock: fixedClock("2026-11-23T12:00:00Z"),
      principal: toPrincipal({ sub: "bench", name: "bench", roles: ["designated_manager"], authorities: [BENCH_AUTHORITY] }),
      requestId: "bench",
      config: parseConfig({}),
    };
    const t1 = performance.now();
    await store.write((tx) =>
      tx.insert(authorities).values({
        code: BENCH_AUTHORITY,
        name: "Synthetic County",
        firstResponsePhone: "+441214960000",
        officeHours: { timezone: "Europe/London", days: [1, 2, 3, 4, 5], open: "08:45", close: "17:15" },
        createdAt: new Date().toISOString(),
      }),
    );
    await importWorkers(ctx, lines(createReadStream(paths.workersFile) as AsyncIterable<Uint8Array>));
    const r = await runImport(ctx, () => lines(createReadStream(paths.file, { highWaterMark: 1 << 20 }) as AsyncIterable<Uint8Array>), {
      batchSize: 1000,
    });
    console.log(
      `imported ${r.created} children in ${((performance.now() - t1) / 1000).toFixed(1)} s, peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
    );
  }
  return { paths, client, store };
}

/** Rewrites one marked section of docs/benchmarks.md (or appends it). */
export function writeBenchSection(doc: string, key: string, md: string): string {
  const start = `<!-- ${key}:start -->`;
  const end = `<!-- ${key}:end -->`;
  const block = `${start}\n${md}\n${end}`;
  return doc.includes(start) ? doc.replace(new RegExp(`${start}[\\s\\S]*?${end}`), () => block) : `${doc.trimEnd()}\n\n${block}\n`;
}
