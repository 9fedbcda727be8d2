import { createEmbeddedClient } from "./src/db/embedded-client";
const c = createEmbeddedClient(process.argv[2]!);
await c.execute("CREATE TABLE IF NOT EXISTS mb (x)");
const N = 2000; let tSel = 0, tSel2 = 0, tC = 0;
for (let i = 0; i < N; i++) {
  const tx = await c.transaction("write"); await tx.execute({ sql: "INSERT INTO mb VALUES (?)", args: [i] });
  let t = performance.now(); await tx.commit(); tC += performance.now() - t;
  t = performance.now(); await c.execute({ sql: `select "code", "name", "first_response_phone", "office_hours", "eligible_professions", "created_at" from "authorities" where "authorities"."code" = ?`, args: ["SYNTH"] }); tSel += performance.now() - t;
  t = performance.now(); await c.execute({ sql: `select "code", "name", "first_response_phone", "office_hours", "eligible_professions", "created_at" from "authorities" where "authorities"."code" = ?`, args: ["SYNTH"] }); tSel2 += performance.now() - t;
}
console.log("commit µs", (tC * 1000 / N).toFixed(0), "select after commit µs", (tSel * 1000 / N).toFixed(0), "again µs", (tSel2 * 1000 / N).toFixed(0));
