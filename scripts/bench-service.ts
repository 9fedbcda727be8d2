/**
 * npm run bench -- [--children 1000000] [--seed 1] [--duration 10] [--connections 32] [--rate 200] [--cpu-prof] [--no-write]
 *
 * The service benchmark: builds (or reuses) the synthetic register, starts the Node server on
 * it as a separate process, drives load over loopback with autocannon, samples the server's
 * RSS from /proc, counts the database calls each request makes, measures the Worker bundle,
 * and writes the table into docs/benchmarks.md. Every row is also shown against the ceiling:
 * a trivial JSON route of the same server (same middleware, no auth, no database).
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import autocannon from "autocannon";
import { type DevTokenClaims, signDevToken } from "../src/auth/dev-token";
import { parseConfig } from "../src/lib/config";
import { AGENCY, AGENCY_NUMBER, byOutcome, enquiryBodyOf, mixed60_20_20 } from "./bench/enquiry-mix";
import { buildEnquiries } from "./bench/matching-bench";
import { openLoop } from "./bench/open-loop";
import { BENCH_AS_OF, BENCH_AUTHORITY, openRegisterDb, writeBenchSection } from "./bench/register-db";
import { countRoundTrips, type RoundTrips } from "./bench/round-trips";
import type { EnquirySpec } from "./synth/enquiries";
import { Rng } from "./synth/rng";

const { values } = parseArgs({
  options: {
    children: { type: "string", default: "1000000" },
    seed: { type: "string", default: "1" },
    duration: { type: "string", default: "10" },
    connections: { type: "string", default: "32" },
    rate: { type: "string", default: "200" },
    port: { type: "string", default: "8797" },
    "cpu-prof": { type: "boolean", default: false },
    "node-flags": { type: "string", default: "" },
    "no-write": { type: "boolean", default: false },
  },
});
const N = Number(values.children);
const seed = Number(values.seed);
const DURATION = Number(values.duration);
const CONNECTIONS = Number(values.connections);
const RATE = Number(values.rate);
const PORT = Number(values.port);
const BASE = `http://127.0.0.1:${PORT}`;
const QUEUE_AUTHORITY = "BENCHQ";
const QUEUE_PENDING = 1000;
const runId = Date.now().toString(36);
const config = parseConfig({ APP_ENV: "development" });
const sign = (claims: DevTokenClaims) => signDevToken(config.auth, claims, { expiresIn: "2h" });

// ---- the register and what the load is made of ----
const { paths, client } = await openRegisterDb(N, seed);
const childCount = Number((await client.execute("SELECT count(*) AS n FROM children")).rows[0]!.n);
const sampleIds = (
  await client.execute({ sql: "SELECT id FROM children WHERE authority = ? ORDER BY random() LIMIT 2000", args: [BENCH_AUTHORITY] })
).rows.map((r) => String(r.id));
client.close();

console.log(`register: ${childCount.toLocaleString("en-GB")} children in ${paths.dbFile}; building enquiries…`);
const specs = await buildEnquiries(paths.file, { count: 18_000, seed: seed + 1, asOf: BENCH_AS_OF, authority: BENCH_AUTHORITY });
const { known, near, unknown } = byOutcome(specs);
// 60/20/20: known, possible, not known, interleaved so every second of load has the same mix.
const rng = new Rng(seed * 31 + 7);
const mixed = mixed60_20_20(specs, 15_000);
for (let i = mixed.length - 1; i > 0; i--) {
  const j = rng.int(0, i);
  [mixed[i], mixed[j]] = [mixed[j]!, mixed[i]!];
}
const bodyOf = (s: EnquirySpec, authority = BENCH_AUTHORITY) => enquiryBodyOf(s, authority);
const bodies = mixed.map((s) => bodyOf(s));
let nextBody = 0;

/** Enquirers of one scenario: enough of them that none reaches the fishing limit (20 in 15 minutes). */
async function enquirers(scenario: string, count: number) {
  const out: string[] = [];
  for (let i = 0; i < count; i++)
    out.push(
      await sign({
        sub: `bench-${runId}-${scenario}-${i}`,
        name: `Bench Nurse ${i}`,
        roles: ["enquirer"],
        profession: "registered_nurse",
        agency: AGENCY,
      }),
    );
  return out;
}
const dm = await sign({
  sub: `bench-dm-${runId}`,
  name: "Bench Manager",
  roles: ["designated_manager"],
  authorities: [BENCH_AUTHORITY, QUEUE_AUTHORITY],
});
const dutyQ = await sign({ sub: `bench-edt-${runId}`, name: "Bench Duty", roles: ["duty_officer"], authorities: [QUEUE_AUTHORITY] });

// ---- the server, as its own process ----
mkdirSync("data/bench/profiles", { recursive: true });
const logFd = openSync("data/bench/server.log", "w");
// Exactly what `npm start` runs (its node flags included), as its own process so /proc shows its memory alone.
const startScript = (JSON.parse(readFileSync("package.json", "utf8")) as { scripts: { start: string } }).scripts.start;
const startArgs = startScript.split(/\s+/).filter(Boolean);
if (startArgs[0] !== "node")
  throw new Error(`npm start is not a plain node command (${startScript}); the bench needs the server's own pid`);
const nodeFlags = values["node-flags"].split(/\s+/).filter(Boolean);
const server: ChildProcess = spawn(
  process.execPath,
  [...nodeFlags, ...(values["cpu-prof"] ? ["--cpu-prof", "--cpu-prof-dir=data/bench/profiles"] : []), ...startArgs.slice(1)],
  {
    env: {
      ...process.env,
      APP_ENV: "development",
      PORT: String(PORT),
      DATABASE_URL: `file:${paths.dbFile}`,
      API_RATE_LIMIT: "1000000",
      UNAUTHENTICATED_RATE_LIMIT: "1000000",
    },
    stdio: ["ignore", logFd, logFd],
  },
);
const serverExit = new Promise<number | null>((resolve) => server.on("exit", (code) => resolve(code)));
for (let i = 0; ; i++) {
  if (server.exitCode !== null) throw new Error(`the server exited (${server.exitCode}): see data/bench/server.log`);
  try {
    if ((await fetch(`${BASE}/healthz`)).ok) break;
  } catch {
    // not listening yet
  }
  if (i > 300) throw new Error("the server did not start within 30 s: see data/bench/server.log");
  await new Promise((r) => setTimeout(r, 100));
}

/** Peak RSS of the server while a scenario runs, from /proc (sampled every 20 ms). */
const rssOf = () => {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${server.pid}/status`, "utf8"));
  return m ? Number(m[1]) * 1024 : 0;
};
let peak = 0;
const sampler = setInterval(() => (peak = Math.max(peak, rssOf())), 20);

async function api(method: string, path: string, token: string, body?: unknown) {
  const res = await fetch(`${BASE}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: await res.json().catch(() => null) };
}

// The agency the enquirers belong to, and a second authority whose queue holds exactly 1,000 pending call-backs.
await api("POST", "/v1/agencies", dm, { name: AGENCY, recognisedNumbers: [AGENCY_NUMBER] });
const q = await api("POST", "/v1/authorities", dm, {
  code: QUEUE_AUTHORITY,
  name: "Benchmark Queue Council",
  firstResponsePhone: "0121 496 0999",
});
if (q.status !== 201 && q.status !== 409) throw new Error(`could not create ${QUEUE_AUTHORITY}: ${q.status} ${JSON.stringify(q.body)}`);
{
  let pending = 0;
  for (let cursor: string | null = `/v1/callbacks?limit=1000`; cursor; ) {
    const r = await api("GET", cursor, dutyQ);
    pending += r.body.items.length;
    cursor = r.body.next;
  }
  const queueTokens = await enquirers("queue", Math.ceil(Math.max(0, QUEUE_PENDING - pending) / 15));
  for (let i = pending; i < QUEUE_PENDING; i++) {
    const r = await fetch(`${BASE}/v1/enquiries`, {
      method: "POST",
      headers: { authorization: `Bearer ${queueTokens[Math.floor((i - pending) / 15)]}`, "content-type": "application/json" },
      body: bodyOf(unknown[i % unknown.length]!, QUEUE_AUTHORITY),
    });
    if (r.status !== 201) throw new Error(`seeding the queue: ${r.status} ${await r.text()}`);
  }
}

// ---- the scenarios ----
interface Row {
  name: string;
  connections: number;
  offered: string;
  rps: number;
  p50: number;
  p99: number;
  peakRss: number;
  total: number;
  bad: number;
  errors: number;
}
const rows: Row[] = [];

async function run(name: string, opts: Partial<autocannon.Options> & { path?: string }, record = true): Promise<Row> {
  peak = rssOf();
  const { path = "", ...rest } = opts;
  const r = await autocannon({ duration: DURATION, connections: CONNECTIONS, timeout: 30, ...rest, url: `${BASE}${path}` });
  const row: Row = {
    name,
    connections: opts.connections ?? CONNECTIONS,
    offered: opts.overallRate ? `${opts.overallRate}/s` : "as fast as answered",
    rps: r.requests.total / r.duration,
    p50: r.latency.p50,
    p99: r.latency.p99,
    peakRss: peak,
    total: r.requests.total,
    bad: r.non2xx,
    errors: r.errors + r.timeouts,
  };
  console.log(
    `${name}: ${row.rps.toFixed(0)} req/s, p50 ${row.p50} ms, p99 ${row.p99} ms, peak RSS ${(row.peakRss / 2 ** 20).toFixed(0)} MB, ${row.total} requests, non-2xx ${row.bad}, errors ${row.errors}`,
  );
  if (record) rows.push(row);
  // Requests still in flight when autocannon stops are finished by the server before the next
  // scenario starts: a write goes through the one write queue, so its answer means the queue is empty.
  await api("GET", "/v1/callbacks?limit=1", dutyQ);
  return row;
}

const enquiryRequests = (tokens: string[]): autocannon.Request[] => {
  let n = 0;
  return [
    {
      method: "POST",
      path: "/v1/enquiries",
      setupRequest: (req) => ({
        ...req,
        headers: { "content-type": "application/json", authorization: `Bearer ${tokens[n++ % tokens.length]}` },
        body: bodies[nextBody++ % bodies.length],
      }),
    },
  ];
};

// Warm-up: JIT, SQLite's page cache, the token cache; not recorded.
await run("warm-up (ceiling)", { path: "/healthz", duration: 3 }, false);
await run("warm-up (enquiries)", { requests: enquiryRequests(await enquirers("warm", 400)), duration: 3 }, false);

const ceiling = await run("ceiling: GET /healthz (no auth, no database)", { path: "/healthz" });
await run("POST /v1/enquiries, 60/20/20 known/possible/not known", { requests: enquiryRequests(await enquirers("sat", 3000)) });
/** A fixed offered rate, arrivals evenly spaced (scripts/bench/open-loop.ts says why not autocannon's). */
async function fixedRate(name: string, rate: number, tokens: string[]) {
  peak = rssOf();
  let n = 0;
  const seconds = Math.max(DURATION, 15);
  const r = await openLoop({
    base: BASE,
    rate,
    seconds,
    next: () => ({
      method: "POST",
      path: "/v1/enquiries",
      headers: { "content-type": "application/json", authorization: `Bearer ${tokens[n++ % tokens.length]}` },
      body: bodies[nextBody++ % bodies.length]!,
    }),
  });
  const row: Row = {
    name,
    connections: 0,
    offered: `${rate}/s, evenly spaced`,
    rps: r.completed / r.seconds,
    p50: r.p50,
    p99: r.p99,
    peakRss: peak,
    total: r.completed,
    bad: r.non2xx,
    errors: r.errors,
  };
  console.log(
    `${name}: ${row.rps.toFixed(0)} req/s, p50 ${row.p50} ms, p99 ${row.p99} ms (max ${r.max} ms), peak RSS ${(row.peakRss / 2 ** 20).toFixed(0)} MB, ${row.total} requests, non-2xx ${row.bad}, errors ${row.errors}`,
  );
  rows.push(row);
  await api("GET", "/v1/callbacks?limit=1", dutyQ);
  return row;
}
await fixedRate(`POST /v1/enquiries at a fixed ${RATE}/s`, RATE, await enquirers("rate", 1000));
// Tail latency below saturation too: half of what the server just sustained.
const half = Math.max(10, Math.floor(rows[1]!.rps / 20) * 10);
await fixedRate(`POST /v1/enquiries at a fixed ${half}/s (half of saturation)`, half, await enquirers("half", 1000));
// Five times what the server sustained, for 15 s: the excess must be refused fast (503 with
// Retry-After), the accepted answered in time, and every acknowledged enquiry be in the database.
const acknowledged: string[] = [];
let overload: { offered: number; r: Awaited<ReturnType<typeof openLoop>>; peakRss: number } | null = null;
{
  const rate = Math.max(50, Math.round((rows[1]!.rps * 5) / 10) * 10);
  const tokens = await enquirers("over", 4000);
  let n = 0;
  peak = rssOf();
  const r = await openLoop({
    base: BASE,
    rate,
    seconds: 15,
    next: () => ({
      method: "POST",
      path: "/v1/enquiries",
      headers: { "content-type": "application/json", authorization: `Bearer ${tokens[n++ % tokens.length]}` },
      body: bodies[nextBody++ % bodies.length]!,
    }),
    onAccepted: (body) => acknowledged.push((JSON.parse(body) as { id: string }).id),
  });
  overload = { offered: rate, r, peakRss: peak };
  const row: Row = {
    name: `POST /v1/enquiries at 5× saturation (${rate}/s for 15 s): the accepted`,
    connections: 0,
    offered: `${rate}/s, evenly spaced`,
    rps: r.accepted.count / r.seconds,
    p50: r.accepted.p50,
    p99: r.accepted.p99,
    peakRss: peak,
    total: r.completed,
    bad: r.non2xx,
    errors: r.errors,
  };
  console.log(
    `${row.name}: ${row.rps.toFixed(0)} accepted/s, p50 ${row.p50} ms, p99 ${row.p99} ms; refused ${r.refused.count} (Retry-After on ${r.refused.withRetryAfter}), refusal p99 ${r.refused.p99} ms; peak RSS ${(peak / 2 ** 20).toFixed(0)} MB; errors ${r.errors}`,
  );
  rows.push(row);
  await new Promise((res) => setTimeout(res, 2000));
  await api("GET", "/v1/callbacks?limit=1", dutyQ);
}
const onPage = (limit: number): autocannon.Request[] => [
  { method: "GET", path: `/v1/callbacks?limit=${limit}`, headers: { authorization: `Bearer ${dutyQ}` } },
];
await run(`GET /v1/callbacks, ${QUEUE_PENDING.toLocaleString("en-GB")} pending (first page of 100)`, { requests: onPage(100) });
await run(`GET /v1/callbacks?limit=1000, ${QUEUE_PENDING.toLocaleString("en-GB")} pending (all of them)`, { requests: onPage(1000) });
let c = 0;
await run("GET /v1/children/{id} (whole record)", {
  requests: [
    {
      method: "GET",
      setupRequest: (req) => ({
        ...req,
        path: `/v1/children/${sampleIds[c++ % sampleIds.length]}`,
        headers: { authorization: `Bearer ${dm}` },
      }),
    },
  ],
});

clearInterval(sampler);
const lifetimePeak = Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${server.pid}/status`, "utf8"))?.[1] ?? 0) * 1024;
server.kill("SIGINT");
await serverExit;
closeSync(logFd);

// ---- what the enquiries were answered, and how many database calls each request makes ----
const check = await openRegisterDb(N, seed);
const outcomes = (
  await check.client.execute({
    sql: "SELECT match, count(*) AS n FROM enquiries WHERE enquirer_id LIKE ? GROUP BY match",
    args: [`bench-${runId}-sat-%`],
  })
).rows.map((r) => `${r.match} ${r.n}`);
const ackedFound = acknowledged.length
  ? Number(
      (
        await check.client.execute({
          sql: "SELECT count(*) AS n FROM enquiries WHERE id IN (SELECT value FROM json_each(?))",
          args: [JSON.stringify(acknowledged)],
        })
      ).rows[0]!.n,
    )
  : 0;
const childAfter = Number((await check.client.execute("SELECT count(*) AS n FROM children")).rows[0]!.n);
const enquiriesAfter = Number((await check.client.execute("SELECT count(*) AS n FROM enquiries")).rows[0]!.n);
check.client.close();
const trips: RoundTrips[] = await countRoundTrips(paths.dbFile, {
  known: bodyOf(known[0]!),
  possible: bodyOf(near[0]!),
  notKnown: bodyOf(unknown[0]!),
  childId: sampleIds[0]!,
  authority: BENCH_AUTHORITY,
  queueAuthority: QUEUE_AUTHORITY,
  agency: AGENCY,
});

// Group commit, as the server counted it over its life (logged when it stops).
const shutdown = readFileSync("data/bench/server.log", "utf8")
  .split("\n")
  .filter((l) => l.includes('"job":"shutdown"'))
  .map(
    (l) =>
      JSON.parse(l) as {
        writes: { batches: number; writes: number; largest: number; sizes: Record<string, number>; retriedAlone: number };
      },
  )
  .at(-1);
const batches = shutdown
  ? `${shutdown.writes.writes.toLocaleString("en-GB")} writes in ${shutdown.writes.batches.toLocaleString("en-GB")} transactions (${(shutdown.writes.writes / Math.max(1, shutdown.writes.batches)).toFixed(1)} a transaction on average, the largest ${shutdown.writes.largest}); transactions holding ${Object.entries(
      shutdown.writes.sizes,
    )
      .map(([k, v]) => `${k}: ${v.toLocaleString("en-GB")}`)
      .join(", ")} writes; groups run again one by one after a failed commit: ${shutdown.writes.retriedAlone}`
  : "not logged (the server did not stop cleanly)";
console.log(`group commit: ${batches}`);

// ---- the Worker bundle ----
let bundle = "not built";
let bundleGzip = Number.NaN;
const build = spawnSync("npx", ["wrangler", "deploy", "--dry-run", "--outdir", "dist/worker"], {
  encoding: "utf8",
  env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
});
if (build.status === 0) {
  const files = readdirSync("dist/worker").filter((f) => f.endsWith(".js") || f.endsWith(".mjs") || f.endsWith(".wasm"));
  const raw = files.reduce((n, f) => n + readFileSync(join("dist/worker", f)).length, 0);
  bundleGzip = files.reduce((n, f) => n + gzipSync(readFileSync(join("dist/worker", f)), { level: 9 }).length, 0);
  bundle = `${(raw / 1024).toFixed(0)} KiB, ${(bundleGzip / 1024).toFixed(0)} KiB gzipped`;
} else bundle = `the build failed: ${(build.stderr || build.stdout).split("\n").slice(-5).join(" ")}`;
console.log(`Worker bundle: ${bundle}`);

// ---- the table ----
const mb = (b: number) => `${(b / 2 ** 20).toFixed(0)} MB`;
const ratio = (r: Row) => (r === ceiling ? "1" : `${((r.rps / ceiling.rps) * 100).toFixed(1)} %`);
const saturated = rows[1]!;
const atRate = rows[2]!;
const peakAll = Math.max(lifetimePeak, ...rows.map((r) => r.peakRss));
const byName = (part: string) => rows.find((r) => r.name.includes(part))!;
const shareOf = (r: Row) => r.rps / ceiling.rps;
const pctOf = (r: Row) => `${(shareOf(r) * 100).toFixed(1)} %`;
const target = (ok: boolean) => (ok ? "met" : "**missed**");
const md = `### The service at ${childCount.toLocaleString("en-GB")} children

\`npm run bench -- --children ${N} --seed ${seed}\` on ${cpus().length} cores (${cpus()[0]?.model.trim()}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; measured ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC. The Node server (\`src/node.ts\`, embedded libSQL file, WAL, \`synchronous=FULL\`) runs as its own process; the load comes over loopback from the bench process on the same two cores, ${DURATION} s a scenario (at least 15 s at a fixed rate) after a warm-up. The register held ${childAfter.toLocaleString("en-GB")} children and, at the end, ${enquiriesAfter.toLocaleString("en-GB")} enquiries. The fixed-rate rows send evenly spaced requests over keep-alive connections and count each latency from when the request was due (open loop); the others are autocannon with ${CONNECTIONS} connections, each sending its next request when the last is answered. Every request is authenticated (HS256 development tokens) and every read of a child is audited, as in production. Peak RSS is the server's, sampled from \`/proc\` every 20 ms.

| scenario | offered | requests/s | of the ceiling | p50 | p99 | server peak RSS | requests | non-2xx | errors |
|---|---|---:|---:|---:|---:|---:|---:|---:|---:|
${rows.map((r) => `| ${r.name} | ${r.offered} | ${r.rps.toFixed(0)} | ${ratio(r)} | ${r.p50} ms | ${r.p99} ms | ${mb(r.peakRss)} | ${r.total} | ${r.bad} | ${r.errors} |`).join("\n")}

Answers given to the saturating enquiries (from the database): ${outcomes.join(", ")}.

Under 5× saturation (${overload!.offered}/s offered for 15 s, ${overload!.r.sent.toLocaleString("en-GB")} requests): ${overload!.r.accepted.count.toLocaleString("en-GB")} accepted (p50 ${overload!.r.accepted.p50} ms, p99 ${overload!.r.accepted.p99} ms, max ${overload!.r.accepted.max} ms); ${overload!.r.refused.count.toLocaleString("en-GB")} refused with 503, ${overload!.r.refused.withRetryAfter.toLocaleString("en-GB")} of them with \`Retry-After\` (refusal p50 ${overload!.r.refused.p50} ms, p99 ${overload!.r.refused.p99} ms); ${overload!.r.errors} connection errors; server peak RSS ${mb(overload!.peakRss)}. Of the ${acknowledged.length.toLocaleString("en-GB")} enquiries acknowledged (201), ${ackedFound.toLocaleString("en-GB")} are in the database: ${(acknowledged.length - ackedFound).toLocaleString("en-GB")} lost.

Group commit over the server's life: ${batches}. Server peak RSS over its life: ${mb(lifetimePeak)}. Worker bundle (\`wrangler deploy --dry-run\`): ${bundle}.

Database calls a request makes (counted on the app's libSQL client; against Turso each is one round trip). Calls in the write transaction hold the primary's write lock; read-only calls (plain reads, or a read-only snapshot with its BEGIN and COMMIT) are ones a replica could serve:

| request | in the write transaction | read-only | total |
|---|---:|---:|---:|
${trips.map((t) => `| ${t.name} | ${t.write} | ${t.read} | ${t.total} |`).join("\n")}

| target (2 cores, ${childCount.toLocaleString("en-GB")} children) | measured | |
|---|---:|---|
| enquiries ≥ 1,000 per second sustained | ${saturated.rps.toFixed(0)}/s | ${target(saturated.rps >= 1000)} |
| p99 ≤ 25 ms at ${RATE} per second | ${atRate.p99} ms | ${target(atRate.p99 <= 25)} |
| enquiry throughput ≥ 25 % of the ceiling | ${((saturated.rps / ceiling.rps) * 100).toFixed(1)} % | ${target(saturated.rps / ceiling.rps >= 0.25)} |
| \`GET /v1/children/{id}\` ≥ 40 % of the ceiling | ${pctOf(byName("GET /v1/children/"))} | ${target(shareOf(byName("GET /v1/children/")) >= 0.4)} |
| \`GET /v1/callbacks\` first page ≥ 25 % of the ceiling | ${pctOf(byName("(first page"))} | ${target(shareOf(byName("(first page")) >= 0.25)} |
| \`GET /v1/callbacks?limit=1000\` ≥ 5 % of the ceiling | ${pctOf(byName("limit=1000"))} | ${target(shareOf(byName("limit=1000")) >= 0.05)} |
| 5× saturation: accepted p99 ≤ 250 ms | ${overload!.r.accepted.p99} ms | ${target(overload!.r.accepted.p99 <= 250)} |
| 5× saturation: every refusal a 503 with Retry-After | ${overload!.r.refused.withRetryAfter} of ${overload!.r.non2xx} non-2xx, ${overload!.r.errors} errors | ${target(overload!.r.refused.withRetryAfter === overload!.r.non2xx && overload!.r.errors === 0)} |
| 5× saturation: acknowledged enquiries lost = 0 | ${acknowledged.length - ackedFound} | ${target(acknowledged.length === ackedFound)} |
| server RSS ≤ 300 MB, 5× saturation included | ${mb(peakAll)} | ${target(peakAll <= 300 * 2 ** 20)} |
| Worker bundle ≤ 1 MiB gzipped | ${Number.isNaN(bundleGzip) ? "not built" : `${(bundleGzip / 1024).toFixed(0)} KiB`} | ${target(bundleGzip <= 2 ** 20)} |
`;
console.log(`\n${md}`);
if (!values["no-write"]) {
  const doc = existsSync("docs/benchmarks.md") ? readFileSync("docs/benchmarks.md", "utf8") : "# Benchmarks\n";
  writeFileSync("docs/benchmarks.md", writeBenchSection(doc, `service-${N}`, md));
}
