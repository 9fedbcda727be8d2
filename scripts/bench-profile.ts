/**
 * npm run bench:profile -- [--children 1000000] [--seed 1] [--requests 1500] [--no-write]
 *
 * Where the milliseconds of one request go. The app runs in this process on the benchmark's
 * register (scripts/bench/register-db.ts) and each scenario's requests are sent one after
 * another through `app.request()` (no sockets, no concurrency: each request's own cost) under
 * V8's CPU profiler (node:inspector). Each sample's self time is put to a part of the stack:
 * drizzle building SQL and mapping rows, SQLite (the libsql addon), the embedded client, the
 * matcher, the audit log, hono, zod, jose, Node's internals, the garbage collector. The table
 * goes into docs/benchmarks.md under "Where an enquiry's time goes".
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { parseArgs } from "node:util";
import { createApp } from "../src/app";
import { type DevTokenClaims, signDevToken } from "../src/auth/dev-token";
import { createTokenVerifier } from "../src/auth/verify";
import { createStore } from "../src/db/store";
import { systemClock } from "../src/lib/clock";
import { DEVELOPMENT_AUDIT_HASH_KEY, parseConfig } from "../src/lib/config";
import { AGENCY, AGENCY_NUMBER, byOutcome, enquiryBodyOf, mixed60_20_20 } from "./bench/enquiry-mix";
import { buildEnquiries } from "./bench/matching-bench";
import { BENCH_AS_OF, BENCH_AUTHORITY, openRegisterDb, writeBenchSection } from "./bench/register-db";
import type { EnquirySpec } from "./synth/enquiries";

const { values } = parseArgs({
  options: {
    children: { type: "string", default: "1000000" },
    seed: { type: "string", default: "1" },
    requests: { type: "string", default: "1500" },
    label: { type: "string", default: "" },
    "no-write": { type: "boolean", default: false },
    /** Also time each SQL statement (by its text) and print the heaviest of each scenario. */
    statements: { type: "boolean", default: false },
  },
});
const N = Number(values.children);
const seed = Number(values.seed);
const REQUESTS = Number(values.requests);
const QUEUE_AUTHORITY = "PROFQ";
const runId = Date.now().toString(36);

const config = parseConfig({ APP_ENV: "development", API_RATE_LIMIT: "1000000", UNAUTHENTICATED_RATE_LIMIT: "1000000" });
const { paths, client } = await openRegisterDb(N, seed);
const statementTimes = new Map<string, { n: number; ms: number }>();
const timed = <T extends object>(target: T): T =>
  new Proxy(target, {
    get(t, prop, receiver) {
      const v = Reflect.get(t, prop, receiver);
      if (typeof v !== "function") return v;
      const time = (text: string, t0: number) => {
        const e = statementTimes.get(text) ?? statementTimes.set(text, { n: 0, ms: 0 }).get(text)!;
        e.n++;
        e.ms += performance.now() - t0;
      };
      if (prop === "transaction")
        return async (...a: unknown[]) => {
          const t0 = performance.now();
          const tx = (v as (...x: unknown[]) => Promise<object>).apply(t, a);
          time(`BEGIN (${String(a[0] ?? "write")})`, t0);
          return timed(await tx);
        };
      if (prop === "commit" || prop === "rollback" || prop === "close")
        return (...a: unknown[]) => {
          const t0 = performance.now();
          const out = (v as (...x: unknown[]) => unknown).apply(t, a);
          time(String(prop).toUpperCase(), t0);
          return out;
        };
      if (prop !== "execute") return v.bind(t);
      return (stmt: { sql: string } | string, ...rest: unknown[]) => {
        const text = typeof stmt === "string" ? stmt : stmt.sql;
        const t0 = performance.now();
        // The embedded client runs the statement before its promise is returned.
        const out = (v as (...x: unknown[]) => unknown).apply(t, [stmt, ...rest]);
        const e = statementTimes.get(text) ?? statementTimes.set(text, { n: 0, ms: 0 }).get(text)!;
        e.n++;
        e.ms += performance.now() - t0;
        return out;
      };
    },
  });
const store = createStore(values.statements ? timed(client) : client, { serialiseWrites: true, auditHashKey: DEVELOPMENT_AUDIT_HASH_KEY });
const app = createApp({ store, clock: systemClock, config, verifyToken: createTokenVerifier(config.auth), log: () => {} });
const sign = (claims: DevTokenClaims) => signDevToken(config.auth, claims, { expiresIn: "2h" });
const call = async (method: string, path: string, token: string, body?: string) => {
  const res = await app.request(path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}) },
    ...(body ? { body } : {}),
  });
  const text = await res.text();
  return { status: res.status, text };
};

const sampleIds = (
  await client.execute({ sql: "SELECT id FROM children WHERE authority = ? ORDER BY random() LIMIT 2000", args: [BENCH_AUTHORITY] })
).rows.map((r) => String(r.id));
const specs = await buildEnquiries(paths.file, { count: 6000, seed: seed + 2, asOf: BENCH_AS_OF, authority: BENCH_AUTHORITY });
const { unknown } = byOutcome(specs);
const mixed = mixed60_20_20(specs, REQUESTS);
const bodyOf = (s: EnquirySpec, authority = BENCH_AUTHORITY) => enquiryBodyOf(s, authority);
const nurse = (i: number) =>
  sign({
    sub: `prof-${runId}-${Math.floor(i / 15)}`,
    name: `Profile Nurse ${i}`,
    roles: ["enquirer"],
    profession: "registered_nurse",
    agency: AGENCY,
  });
const dm = await sign({
  sub: `prof-dm-${runId}`,
  name: "Profile Manager",
  roles: ["designated_manager"],
  authorities: [BENCH_AUTHORITY, QUEUE_AUTHORITY],
});
const duty = await sign({ sub: `prof-edt-${runId}`, name: "Profile Duty", roles: ["duty_officer"], authorities: [QUEUE_AUTHORITY] });

// A queue of exactly 1,000 pending call-backs in an authority of its own.
await call("POST", "/v1/agencies", dm, JSON.stringify({ name: AGENCY, recognisedNumbers: [AGENCY_NUMBER] }));
await call(
  "POST",
  "/v1/authorities",
  dm,
  JSON.stringify({ code: QUEUE_AUTHORITY, name: "Profile Queue Council", firstResponsePhone: "0121 496 0999" }),
);
{
  let pending = 0;
  for (let cursor: string | null = "/v1/callbacks?limit=1000"; cursor; ) {
    const page = JSON.parse((await call("GET", cursor, duty)).text) as { items: unknown[]; next: string | null };
    pending += page.items.length;
    cursor = page.next;
  }
  for (let i = pending; i < 1000; i++) {
    const r = await call("POST", "/v1/enquiries", await nurse(100_000 + i), bodyOf(unknown[i % unknown.length]!, QUEUE_AUTHORITY));
    if (r.status !== 201) throw new Error(`seeding the queue: ${r.status} ${r.text}`);
  }
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const PARTS: [string, (url: string, fn: string) => boolean][] = [
  ["(garbage collector)", (_u, f) => f === "(garbage collector)"],
  ["SQLite (the libsql addon)", (u, f) => /node_modules\/libsql\//.test(u) || f.startsWith("libsql_js::")],
  ["drizzle-orm: building SQL, mapping rows", (u) => /node_modules\/drizzle-orm\//.test(u)],
  ["the embedded client (src/db/embedded-client.ts)", (u) => /src\/db\/embedded-client/.test(u)],
  ["@libsql/core (result sets)", (u) => /node_modules\/@libsql\//.test(u)],
  ["matching (src/matching/)", (u) => /src\/matching\//.test(u)],
  ["the audit log (src/audit/, @noble/hashes)", (u) => /src\/audit\/|node_modules\/@noble\//.test(u)],
  ["hono and its zod-openapi", (u) => /node_modules\/(hono|@hono)\//.test(u)],
  ["zod", (u) => /node_modules\/zod\//.test(u)],
  ["jose (tokens)", (u) => /node_modules\/jose\//.test(u)],
  ["libphonenumber-js", (u) => /node_modules\/libphonenumber-js\//.test(u)],
  ["the rest of the service (src/)", (u) => /\/src\//.test(u)],
  ["other packages", (u) => /node_modules\//.test(u)],
  ["Node's internals (streams, JSON, timers, natives)", () => true],
];

function summarise(p: Profile, requests: number) {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  // timeDeltas[i] is the time before sample i; the sample's own time is the next delta.
  for (let i = 0; i < p.samples.length; i++) selfUs.set(p.samples[i]!, (selfUs.get(p.samples[i]!) ?? 0) + (p.timeDeltas[i + 1] ?? 0));
  const parts = new Map<string, number>();
  const fns = new Map<string, number>();
  let busy = 0;
  for (const [id, us] of selfUs) {
    const { functionName: fn, url, lineNumber } = byId.get(id)!.callFrame;
    if (fn === "(idle)" || fn === "(program)" || fn === "(root)") continue;
    busy += us;
    const part = PARTS.find(([, test]) => test(url, fn))![0];
    parts.set(part, (parts.get(part) ?? 0) + us);
    const where = `${fn || "(anonymous)"} ${url.replace(/^.*?\/(node_modules|src)\//, "$1/").replace(/^file:\/\//, "")}:${lineNumber + 1}`;
    fns.set(where, (fns.get(where) ?? 0) + us);
  }
  const top = (m: Map<string, number>, n: number) => [...m].sort((a, b) => b[1] - a[1]).slice(0, n);
  return {
    busyMsPerRequest: busy / 1000 / requests,
    parts: top(parts, 20).map(([k, v]) => ({ part: k, msPerRequest: v / 1000 / requests, share: v / busy })),
    functions: top(fns, Number(process.env.TOP_FNS ?? 8)).map(([k, v]) => ({ fn: k, msPerRequest: v / 1000 / requests, share: v / busy })),
  };
}

const session = new Session();
session.connect();
await session.post("Profiler.enable");
await session.post("Profiler.setSamplingInterval", { interval: 200 });

async function scenario(name: string, count: number, send: (i: number) => Promise<{ status: number; text: string }>, expect: number) {
  // Warm: the JIT and the statement cache, outside the profile.
  for (let i = 0; i < Math.min(100, count); i++) await send(count + i);
  statementTimes.clear();
  await session.post("Profiler.start");
  const t0 = performance.now();
  for (let i = 0; i < count; i++) {
    const r = await send(i);
    if (r.status !== expect) throw new Error(`${name}: ${r.status} ${r.text.slice(0, 300)}`);
  }
  const wall = (performance.now() - t0) / count;
  const { profile } = (await session.post("Profiler.stop")) as unknown as { profile: Profile };
  const s = summarise(profile, count);
  console.log(
    `\n${name}: ${count} requests, ${wall.toFixed(2)} ms each (wall), ${s.busyMsPerRequest.toFixed(2)} ms of CPU on the main thread`,
  );
  for (const p of s.parts) console.log(`  ${(p.share * 100).toFixed(1).padStart(5)} %  ${p.msPerRequest.toFixed(3)} ms  ${p.part}`);
  for (const f of s.functions) console.log(`     ${(f.share * 100).toFixed(1).padStart(5)} %  ${f.fn}`);
  if (values.statements)
    for (const [text, e] of [...statementTimes].sort((a, b) => b[1].ms - a[1].ms).slice(0, 12))
      console.log(
        `   ${(e.ms / count).toFixed(3)} ms a request, ${(e.n / count).toFixed(2)} calls: ${text.replace(/\s+/g, " ").slice(0, 220)}`,
      );
  return { name, count, wall, ...s };
}

const tokens: string[] = [];
for (let i = 0; i < REQUESTS * 2; i += 15) tokens.push(await nurse(i));
const results = [
  await scenario(
    "POST /v1/enquiries (60/20/20)",
    REQUESTS,
    (i) => call("POST", "/v1/enquiries", tokens[Math.floor(i / 15)]!, bodyOf(mixed[i % mixed.length]!)),
    201,
  ),
  await scenario("GET /v1/children/{id}", REQUESTS, (i) => call("GET", `/v1/children/${sampleIds[i % sampleIds.length]}`, dm), 200),
  await scenario(
    "GET /v1/callbacks (first page of 100, 1,000 pending)",
    Math.max(100, Math.ceil(REQUESTS / 5)),
    () => call("GET", "/v1/callbacks", duty),
    200,
  ),
  await scenario(
    "GET /v1/callbacks?limit=1000",
    Math.max(20, Math.ceil(REQUESTS / 30)),
    () => call("GET", "/v1/callbacks?limit=1000", duty),
    200,
  ),
  await scenario("GET /healthz (the ceiling's route)", REQUESTS * 4, () => call("GET", "/healthz", dm), 200),
];
session.disconnect();
client.close();

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
const md = `### Where a request's time goes${values.label ? ` (${values.label})` : ""}

\`npm run bench:profile -- --children ${N}\`, measured ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC: the app in process on the ${N.toLocaleString("en-GB")}-child register, requests sent one at a time through \`app.request()\` (no sockets, so HTTP parsing is not in it) under V8's sampling profiler; each sample's own time is given to the part of the code it was in.

| scenario | wall a request | CPU a request | ${results[0]!.parts
  .slice(0, 7)
  .map((p) => p.part.replace(/\|/g, "/"))
  .join(" | ")} |
|---|---:|---:|${results[0]!.parts
  .slice(0, 7)
  .map(() => "---:")
  .join("|")}|
${results
  .map(
    (r) =>
      `| ${r.name} | ${r.wall.toFixed(2)} ms | ${r.busyMsPerRequest.toFixed(2)} ms | ${results[0]!.parts
        .slice(0, 7)
        .map((p0) => {
          const p = r.parts.find((x) => x.part === p0.part);
          return p ? `${pct(p.share)}` : "–";
        })
        .join(" | ")} |`,
  )
  .join("\n")}

The heaviest functions of an enquiry (own time): ${results[0]!.functions
  .slice(0, 6)
  .map((f) => `\`${f.fn}\` ${pct(f.share)}`)
  .join(", ")}.
The heaviest of a record read: ${results[1]!.functions
  .slice(0, 6)
  .map((f) => `\`${f.fn}\` ${pct(f.share)}`)
  .join(", ")}.
`;
console.log(`\n${md}`);
if (!values["no-write"]) {
  const doc = existsSync("docs/benchmarks.md") ? readFileSync("docs/benchmarks.md", "utf8") : "# Benchmarks\n";
  writeFileSync(
    "docs/benchmarks.md",
    writeBenchSection(doc, `profile-${N}${values.label ? `-${values.label.replace(/\W+/g, "-")}` : ""}`, md),
  );
}
