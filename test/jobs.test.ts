import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { children } from "../src/db/schema";
import { runJob } from "../src/lib/log";
import { createTestApp, type TestApp } from "./support/app";

// The scheduled jobs (reached 18, audit checkpoints, the outbox's dispatch) run on both entries
// through runJob; a failure is logged, and what the driver says of the failed statement's
// parameters (a child's name) never reaches the log.
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe("a scheduled job", () => {
  it("logs what it did, and a failure without the failed statement's parameters", async () => {
    const lines: Record<string, unknown>[] = [];
    const log = (e: Record<string, unknown>) => lines.push(e);
    await runJob("reached-18", async () => ({ ended: 2 }), { log });
    // A real statement refused by the database (no such authority), carrying a child's name.
    await runJob(
      "reached-18",
      () =>
        t.store.write((tx) =>
          tx.insert(children).values({
            id: "c-1",
            authority: "NOWHERE",
            givenNames: "Tallulah",
            familyName: "Quennell",
            createdAt: "x",
            updatedAt: "x",
          } as never),
        ),
      { log },
    );
    await runJob("dispatch", async () => ({ sent: 0 }), { log, worthLogging: (r) => r.sent > 0 });
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ job: "reached-18", ended: 2 });
    expect(lines[1]).toMatchObject({ job: "reached-18", level: "error" });
    expect(String(lines[1]!.error)).toMatch(/\w/);
    expect(JSON.stringify(lines[1])).not.toMatch(/Tallulah|Quennell/);
  });
});
