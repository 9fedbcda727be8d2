/**
 * npm run bench:matching -- --children 1000000 --enquiries 10000 --seed 1
 * Generates (or reuses) a register under data/bench/, imports it into its own database file
 * (or reuses it), runs the enquiries through the matcher and writes the table into
 * docs/benchmarks.md (--no-write to only print).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync, createWriteStream, createReadStream } from "node:fs";
import { once } from "node:events";
import { cpus, totalmem } from "node:os";
import { parseArgs } from "node:util";
import { toPrincipal } from "../src/auth/principal";
import { migrateDatabase } from "../src/db/migrate";
import { openNodeClient } from "../src/db/open-node";
import { createStore } from "../src/db/store";
import { runImport } from "../src/import/importer";
import { lines } from "../src/import/lines";
import { importWorkers } from "../src/import/workers-import";
import { fixedClock } from "../src/lib/clock";
import { buildEnquiries, evaluate, markdown } from "./bench/matching-bench";
import { generateRegister } from "./synth/register";
import { authorities } from "../src/db/schema";

const { values } = parseArgs({ options: { children: { type: "string", default: "20000" }, enquiries: { type: "string", default: "1000" }, seed: { type: "string", default: "1" }, "no-write": { type: "boolean", default: false } } });
const N = Number(values.children);
const M = Number(values.enquiries);
const seed = Number(values.seed);
const AUTH = "SYNTH";
const asOf = "2026-11-01";
mkdirSync("data/bench", { recursive: true });
const file = `data/bench/register-${N}-${seed}.ndjson`;
const workersFile = file.replace(/\.ndjson$/, ".workers.ndjson");
const dbFile = `data/bench/register-${N}-${seed}.db`;

const t0 = performance.now();
if (!existsSync(file) || !existsSync(workersFile)) {
  const out = createWriteStream(file);
  const wout = createWriteStream(workersFile);
  for (const item of generateRegister({ children: N, seed, authority: AUTH, asOf })) {
    const [s, row] = "worker" in item ? [wout, item.worker] : [out, item.child];
    if (!s.write(`${JSON.stringify(row)}\n`)) await once(s, "drain");
  }
  out.end();
  wout.end();
  await Promise.all([once(out, "finish"), once(wout, "finish")]);
  console.log(`generated ${file} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

const fresh = !existsSync(dbFile);
const client = await openNodeClient(`file:${dbFile}`);
await migrateDatabase(client);
const store = createStore(client, { serialiseWrites: true });
const ctx = { store, clock: fixedClock("2026-11-23T12:00:00Z"), principal: toPrincipal({ sub: "bench", name: "bench", roles: ["designated_manager"], authorities: [AUTH] }), requestId: "bench" };
if (fresh) {
  const t1 = performance.now();
  await store.write((tx) => tx.insert(authorities).values({ code: AUTH, name: "Synthetic County", firstResponsePhone: "+441214960000", officeHours: { timezone: "Europe/London", days: [1, 2, 3, 4, 5], open: "08:45", close: "17:15" }, createdAt: new Date().toISOString() }));
  await importWorkers(ctx, lines(createReadStream(workersFile) as AsyncIterable<Uint8Array>));
  const r = await runImport(ctx, () => lines(createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Uint8Array>), { batchSize: 1000 });
  console.log(`imported ${r.created} children in ${((performance.now() - t1) / 1000).toFixed(1)} s, peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
}

const specs = await buildEnquiries(file, { count: M, seed, asOf, authority: AUTH });
// Warm the page cache and the JIT as a running service would be, then measure.
await evaluate(store.read, AUTH, specs.slice(0, 200), "2026-11-23");
const result = await evaluate(store.read, AUTH, specs, "2026-11-23");
const heading = `### Matching at ${N.toLocaleString("en-GB")} children, ${M.toLocaleString("en-GB")} enquiries (seed ${seed})

\`npm run bench:matching -- --children ${N} --enquiries ${M} --seed ${seed}\` on ${cpus().length} cores (${cpus()[0]?.model.trim()}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, embedded libSQL; measured ${new Date().toISOString().slice(0, 10)}. Timings are of \`matchChild\` alone (candidate retrieval and scoring), in process.`;
const md = markdown(result, heading);
console.log(md);
if (!values["no-write"]) {
  const doc = existsSync("docs/benchmarks.md") ? readFileSync("docs/benchmarks.md", "utf8") : "# Benchmarks\n";
  const start = `<!-- matching-${N}:start -->`;
  const end = `<!-- matching-${N}:end -->`;
  const block = `${start}\n${md}\n${end}`;
  const next = doc.includes(start) ? doc.replace(new RegExp(`${start}[\\s\\S]*?${end}`), block) : `${doc.trimEnd()}\n\n${block}\n`;
  writeFileSync("docs/benchmarks.md", next);
}
client.close();
