/**
 * npm run bench:matching -- --children 1000000 --enquiries 10000 --seed 1
 * Generates (or reuses) a register under data/bench/, imports it into its own database file
 * (or reuses it), runs the enquiries through the matcher and writes the table into
 * docs/benchmarks.md (--no-write to only print).
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { parseArgs } from "node:util";
import { buildEnquiries, evaluate, landedOnAnother, markdown } from "./bench/matching-bench";
import { BENCH_AS_OF, BENCH_AUTHORITY, openRegisterDb, writeBenchSection } from "./bench/register-db";

const { values } = parseArgs({
  options: {
    children: { type: "string", default: "20000" },
    enquiries: { type: "string", default: "1000" },
    seed: { type: "string", default: "1" },
    "no-write": { type: "boolean", default: false },
  },
});
const N = Number(values.children);
const M = Number(values.enquiries);
const seed = Number(values.seed);
const AUTH = BENCH_AUTHORITY;
const asOf = BENCH_AS_OF;
const { paths, client, store } = await openRegisterDb(N, seed);
const file = paths.file;

const specs = await buildEnquiries(file, { count: M, seed, asOf, authority: AUTH });
// Warm the page cache and the JIT as a running service would be, then measure.
await evaluate(store.read, AUTH, specs.slice(0, 200), "2026-11-23");
const result = await evaluate(store.read, AUTH, specs, "2026-11-23");
const heading = `### Matching at ${N.toLocaleString("en-GB")} children, ${M.toLocaleString("en-GB")} enquiries (seed ${seed})

\`npm run bench:matching -- --children ${N} --enquiries ${M} --seed ${seed}\` on ${cpus().length} cores (${cpus()[0]?.model.trim()}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, embedded libSQL; measured ${new Date().toISOString().slice(0, 10)}. Timings are of \`matchChild\` alone (candidate retrieval and scoring), in process.${
  landedOnAnother.size
    ? ` Near misses generated and left out because the slip made them, by the register's clean rule, another listed child (the register answers those about that child): ${[...landedOnAnother].map(([k, n]) => `${k} ${n}`).join(", ")}.`
    : ""
}`;
const md = markdown(result, heading);
console.log(md);
if (!values["no-write"]) {
  const doc = existsSync("docs/benchmarks.md") ? readFileSync("docs/benchmarks.md", "utf8") : "# Benchmarks\n";
  writeFileSync("docs/benchmarks.md", writeBenchSection(doc, `matching-${N}`, md));
}
client.close();
