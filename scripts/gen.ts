/**
 * Writes a synthetic register as import NDJSON, deterministic for a seed:
 *   npm run gen -- --children 100000 --seed 1 --out data/register-100k.ndjson [--authority SYNTH] [--as-of 2026-11-01]
 * The key workers the cases name go to the same name with .workers.ndjson; import both with
 *   npm run import -- data/register-100k.ndjson --workers data/register-100k.workers.ndjson
 */

import { once } from "node:events";
import { createWriteStream, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { parseArgs } from "node:util";
import { generateRegister } from "./synth/register";

const { values } = parseArgs({
  options: {
    children: { type: "string" },
    seed: { type: "string", default: "1" },
    out: { type: "string" },
    authority: { type: "string", default: "SYNTH" },
    "as-of": { type: "string", default: "2026-11-01" },
  },
});
if (!values.children || !values.out) {
  console.error("Usage: npm run gen -- --children N --seed S --out FILE [--authority CODE] [--as-of YYYY-MM-DD]");
  process.exit(2);
}
export const workersPathFor = (out: string) => out.replace(/(\.ndjson)?$/, ".workers.ndjson");
mkdirSync(dirname(values.out), { recursive: true });
const children = createWriteStream(values.out);
const workers = createWriteStream(workersPathFor(values.out));
let n = 0;
for (const item of generateRegister({
  children: Number(values.children),
  seed: Number(values.seed),
  authority: values.authority.toUpperCase(),
  asOf: values["as-of"],
})) {
  const [stream, row] = "worker" in item ? [workers, item.worker] : [children, item.child];
  if (!stream.write(`${JSON.stringify(row)}\n`)) await once(stream, "drain");
  if ("child" in item && ++n % 100_000 === 0) process.stderr.write(`${n} children\n`);
}
children.end();
workers.end();
await Promise.all([once(children, "finish"), once(workers, "finish")]);
console.log(`Wrote ${n} children to ${values.out} and their key workers to ${workersPathFor(values.out)}.`);
