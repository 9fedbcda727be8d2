import Database from "libsql";
const path = process.argv[2];
const db = new Database(path);
db.exec("PRAGMA journal_mode=WAL");
const sel = db.prepare(`select "code", "name" from "authorities" where "authorities"."code" = ?`); sel.raw(true);
const begin = db.prepare("BEGIN IMMEDIATE"), commit = db.prepare("COMMIT");
db.exec("CREATE TABLE IF NOT EXISTS mb (x)"); const ins = db.prepare("INSERT INTO mb VALUES (?)");
const N = 2000; let tSel = 0, tSelWarm = 0, tCommit = 0;
for (let i = 0; i < N; i++) {
  begin.run(); ins.run([i]); let t = performance.now(); commit.run(); tCommit += performance.now() - t;
  t = performance.now(); sel.all(["SYNTH"]); tSel += performance.now() - t;
  t = performance.now(); sel.all(["SYNTH"]); tSelWarm += performance.now() - t;
}
console.log(path, "commit µs", (tCommit * 1000 / N).toFixed(0), "first select after commit µs", (tSel * 1000 / N).toFixed(0), "second select µs", (tSelWarm * 1000 / N).toFixed(0));
