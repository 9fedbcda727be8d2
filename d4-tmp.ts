import { createClient } from "@libsql/client";
import { createApp } from "/work/main/src/app";
import { signDevToken } from "/work/main/src/auth/dev-token";
import { createTokenVerifier } from "/work/main/src/auth/verify";
import { parseConfig } from "/work/main/src/config";
import { createStore } from "/work/main/src/db/store";
import { systemClock } from "/work/main/src/lib/clock";
import { buildEnquiries } from "/work/main/scripts/bench/matching-bench";
const [db, file, nStr] = process.argv.slice(2);
const n = Number(nStr ?? 1000);
const config = parseConfig({ APP_ENV: "development" });
const raw = (await import("/work/main/src/db/embedded-client")).createEmbeddedClient(db!);
const stats = new Map<string, { n: number; ms: number; rows: number }>();
let sqlMs = 0;
function wrap<T extends object>(t: T): T {
  return new Proxy(t, { get(target, prop, r) {
    const v = Reflect.get(target, prop, r);
    if (typeof v !== "function") return v;
    if (["execute", "commit", "batch"].includes(String(prop))) return async (s: any, a?: any) => { const sql = prop === "commit" ? "COMMIT" : typeof s === "string" ? s : s?.sql ?? "batch"; const t0 = performance.now(); const res = await v.call(target, s, a); const dt = performance.now() - t0; sqlMs += dt; const st = stats.get(sql) ?? { n: 0, ms: 0, rows: 0 }; st.n++; st.ms += dt; st.rows += res?.rows?.length ?? 0; stats.set(sql, st); return res; };
    if (prop === "transaction") return async (...a: any[]) => { const t0 = performance.now(); const tx = await v.apply(target, a); const dt = performance.now() - t0; sqlMs += dt; const st = stats.get("BEGIN") ?? { n: 0, ms: 0, rows: 0 }; st.n++; st.ms += dt; stats.set("BEGIN", st); return wrap(tx); };
    return v.bind(target);
  } });
}
const store = createStore(wrap(raw as any), { serialiseWrites: true });
const app = createApp({ store, clock: systemClock, config, verifyToken: createTokenVerifier(config.auth), log: () => {} });
const specs = await buildEnquiries(file!, { count: n, seed: 5, asOf: "2026-11-01", authority: "SYNTH" });
const tokens: string[] = [];
for (let i = 0; i < n / 10 + 1; i++) tokens.push(await signDevToken(config.auth, { sub: `diag-${Date.now()}-${i}`, roles: ["enquirer"], profession: "registered_nurse", agency: "Synthetic Constabulary" }));
const bodies = specs.map((s) => JSON.stringify({ authority: "SYNTH", child: { givenNames: s.child.givenNames, familyName: s.child.familyName, aliases: s.child.aliases, ...(s.child.dateOfBirth ? { dateOfBirth: s.child.dateOfBirth } : {}) }, addresses: s.addresses, carers: [], reason: "x", callbackNumber: "0121 496 0100" }));
const go = async (from: number, to: number) => { for (let i = from; i < to; i++) { const r = await app.request(`/v1/enquiries`, { method: "POST", body: bodies[i], headers: { authorization: `Bearer ${tokens[Math.floor(i / 10)]}`, "content-type": "application/json" } }); if (r.status !== 201) console.log(r.status, await r.text()); } };
await go(0, 100);
stats.clear(); sqlMs = 0; (globalThis as any).__T = new Map();
const { Session } = await import("node:inspector/promises");
const insp = new Session(); insp.connect(); await insp.post("Profiler.enable"); await insp.post("Profiler.setSamplingInterval", { interval: 100 }); await insp.post("Profiler.start");
const t0 = performance.now();
await go(100, n);
const { profile } = await insp.post("Profiler.stop"); (await import("node:fs")).writeFileSync("/tmp/enq.cpuprofile", JSON.stringify(profile));
console.log("sql ms each", (sqlMs / (n - 100)).toFixed(3));
[...stats].sort((a, b) => b[1].ms - a[1].ms).slice(0, 25).forEach(([sql, s]) => console.log(s.ms.toFixed(1).padStart(8), String(s.n).padStart(5), String(s.rows).padStart(7), sql.slice(0, 150)));
{ const T = (globalThis as any).__T as Map<string, {n: number; ms: number}>; let tot = 0; for (const v of T.values()) tot += v.ms; console.log("SYNC sql ms each", (tot / (n - 100)).toFixed(3)); [...T].sort((a, b) => b[1].ms - a[1].ms).slice(0, 22).forEach(([q, v]) => console.log(((v.ms / (n - 100)) * 1000).toFixed(0).padStart(6), "µs/enq", String(v.n).padStart(5), q.slice(0, 150))); }
console.log("enquiry ms each (sequential, in process)", ((performance.now() - t0) / (n - 100)).toFixed(3));
