import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BenchResult, buildEnquiries, evaluate } from "../scripts/bench/matching-bench";
import { CLEAN, NEAR, UNLISTED } from "../scripts/synth/enquiries";
import { generateRegister } from "../scripts/synth/register";
import { createTestApp, type TestApp } from "./support/app";
import { createAuthority } from "./support/fixtures";

// The matching benchmark at a fixed small size: every target but the timing, as counts.
const dir = mkdtempSync(join(tmpdir(), "register-bench-"));
let t: TestApp;
let result: BenchResult;
beforeAll(async () => {
  t = await createTestApp({ now: "2026-11-23T12:00:00Z" });
  const dm = await t.token({ sub: "dm-SYNTH", roles: ["designated_manager"], authorities: ["SYNTH"] });
  await createAuthority(t, dm, "SYNTH");
  const file = join(dir, "register.ndjson");
  const kids: string[] = [];
  for (const item of generateRegister({ children: 20_000, seed: 3, authority: "SYNTH", asOf: "2026-11-01" })) {
    if ("worker" in item) {
      const res = await t.call("POST", "/v1/workers", { token: dm, body: item.worker });
      if (res.status !== 201) throw new Error(JSON.stringify(res.body));
    } else kids.push(JSON.stringify(item.child));
  }
  writeFileSync(file, `${kids.join("\n")}\n`);
  const imported = await t.call("POST", "/v1/import", {
    token: dm,
    raw: `${kids.join("\n")}\n`,
    headers: { "content-type": "application/x-ndjson" },
  });
  if (imported.status !== 200) throw new Error(JSON.stringify(imported.body).slice(0, 500));
  const specs = await buildEnquiries(file, { count: 2000, seed: 3, asOf: "2026-11-01", authority: "SYNTH" });
  result = await evaluate(t.store.read, "SYNTH", specs, "2026-11-23");
}, 300_000);
afterAll(() => {
  t.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("matching 2,000 enquiries against 20,000 generated children", () => {
  it("covers every kind of enquiry", () => {
    expect(result.kinds.map((k) => k.kind)).toEqual([...CLEAN, ...NEAR, ...UNLISTED]);
    expect(result.kinds.every((k) => k.n >= 40)).toBe(true);
  });
  it("never discloses a wrong child", () => expect(result.falseDisclosures).toBe(0));
  it("finds at least 99.5 % of listed children", () => expect(result.listedRecall).toBeGreaterThanOrEqual(0.995));
  it("answers at least 99 % of clean enquiries without a duty officer", () => expect(result.cleanKnown).toBeGreaterThanOrEqual(0.99));
  it("sends near misses to a duty officer with the right child, never answering them", () => {
    expect(result.nearPossibleRight).toBeGreaterThanOrEqual(0.99);
    expect(result.nearKnown).toBe(0);
  });
  it("sends at most 5 % of children not on the register to a duty officer, and never answers them", () => {
    expect(result.unlistedToOfficer).toBeLessThanOrEqual(0.05);
    expect(result.unlistedKnown).toBe(0);
  });
});
