import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "@libsql/client";
import { isValid } from "postcode";
import { afterAll, describe, expect, it } from "vitest";
import { type ChildLine, generateRegister } from "../scripts/synth/register";
import { migrateDatabase } from "../src/db/migrate";
import { run } from "./support/server";

const dir = mkdtempSync(join(tmpdir(), "register-synth-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const gen = (children: number, seed: number) => [...generateRegister({ children, seed, authority: "SYN", asOf: "2026-11-01" })];
const digest = (items: unknown[]) => createHash("sha256").update(JSON.stringify(items)).digest("hex");

describe("the synthetic register", () => {
  it("is the same for the same seed and different for another", () => {
    expect(digest(gen(2000, 5))).toBe(digest(gen(2000, 5)));
    expect(digest(gen(2000, 5))).not.toBe(digest(gen(2000, 6)));
  });

  it("looks like a real authority's register", () => {
    const kids = gen(20_000, 1).flatMap((i) => ("child" in i ? [i.child] : [])) as ChildLine[];
    const share = (f: (c: ChildLine) => boolean) => kids.filter(f).length / kids.length;
    expect(kids).toHaveLength(20_000);
    expect(share((c) => c.plans.some((p) => !p.endDate))).toBeGreaterThan(0.006);
    expect(share((c) => c.plans.some((p) => !p.endDate))).toBeLessThan(0.015);
    expect(share((c) => c.plans.some((p) => p.endDate))).toBeGreaterThan(0.005);
    expect(share((c) => c.conferences.some((k) => k.outcome === "no_plan"))).toBeGreaterThan(0.003);
    expect(share((c) => c.cases.some((k) => k.closedOn))).toBeGreaterThan(0.02);
    expect(share((c) => c.familyName.includes("-"))).toBeGreaterThan(0.01);
    expect(share((c) => / /.test(c.familyName))).toBeGreaterThan(0.003);
    expect(share((c) => /'/.test(c.familyName))).toBeGreaterThan(0.001);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: "not ASCII" is the range from NUL to DEL.
    expect(share((c) => /[^\x00-\x7f]/.test(c.givenNames))).toBeGreaterThan(0.0005);
    expect(share((c) => c.aliases.length > 0)).toBeGreaterThan(0.02);
    expect(share((c) => c.addresses.some((a) => a.to !== null))).toBeGreaterThan(0.1);
    expect(kids.every((c) => c.addresses.every((a) => isValid(a.postcode)))).toBe(true);
    // Siblings share a surname and address; twins share a date of birth too; common names recur.
    const households = new Map<string, ChildLine[]>();
    for (const c of kids) {
      const k = `${c.familyName}|${c.addresses[0]!.line1}|${c.addresses[0]!.postcode}`;
      households.set(k, [...(households.get(k) ?? []), c]);
    }
    expect([...households.values()].filter((h) => h.length > 1).length).toBeGreaterThan(2000);
    expect([...households.values()].filter((h) => new Set(h.map((c) => c.dateOfBirth)).size < h.length).length).toBeGreaterThan(20);
    const names = new Map<string, number>();
    for (const c of kids)
      names.set(`${c.givenNames.split(" ")[0]} ${c.familyName}`, (names.get(`${c.givenNames.split(" ")[0]} ${c.familyName}`) ?? 0) + 1);
    expect([...names.values()].filter((n) => n > 1).length).toBeGreaterThan(100);
  });
});

describe("a 100,000-line import from the command line", () => {
  it("completes without the process growing past a few hundred MB", async () => {
    const file = join(dir, "r100k.ndjson");
    const workers = join(dir, "r100k.workers.ndjson");
    const items = generateRegister({ children: 100_000, seed: 9, authority: "SYN", asOf: "2026-11-01" });
    const kids: string[] = [];
    const staff: string[] = [];
    for (const i of items) ("child" in i ? kids : staff).push(JSON.stringify("child" in i ? i.child : i.worker));
    writeFileSync(file, `${kids.join("\n")}\n`);
    writeFileSync(workers, `${staff.join("\n")}\n`);
    kids.length = 0;
    const url = `file:${join(dir, "big.db")}`;
    const c = createClient({ url });
    await migrateDatabase(c);
    await c.execute(
      `INSERT INTO authorities (code, name, first_response_phone, office_hours, created_at) VALUES ('SYN', 'Synthetic', '+441214960000', '{"timezone":"Europe/London","days":[1,2,3,4,5],"open":"08:45","close":"17:15"}', '2026-01-01')`,
    );
    const res = await run(process.execPath, ["--import", "tsx", "scripts/import.ts", file, "--workers", workers], {
      DATABASE_URL: url,
      APP_ENV: "test",
    });
    expect(res.stderr.replace(/\s*(check|write) \[.*$/gm, "")).not.toMatch(/Error|refused/);
    expect(res.stdout).toMatch(/100000 created/);
    const rss = Number(/Peak RSS (\d+) MB/.exec(res.stdout)?.[1]);
    expect(rss).toBeGreaterThan(50);
    expect(rss).toBeLessThan(450);
    expect(Number((await c.execute("SELECT count(*) AS n FROM children")).rows[0]!.n)).toBe(100_000);
    c.close();
  }, 240_000);
});
