import type { Client, InStatement, Transaction, TransactionMode } from "@libsql/client";
import { sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../support/app";
import { enquiryBody, planChild, setupAuthority } from "../support/enquiry";
import { childBody, createAuthority, createChild, staffTokens } from "../support/fixtures";

let t: TestApp;
afterEach(() => t?.close());

/**
 * For the tests that send many requests at once: every one admitted (src/lib/admission.ts lets 16
 * in at a time and, when none has finished for 100 ms, turns newcomers away with 503 after 10 ms,
 * which a busy machine running the suite reaches). What is tested here is the store's grouping.
 */
const ALL_ADMITTED = { env: { MAX_IN_FLIGHT: "100" } };

const ins = (id: string) =>
  sql`INSERT INTO agencies (id, name, name_key, created_at) VALUES (${id}, ${id}, ${id.toLowerCase()}, '2026-11-23T10:00:00Z')`;
/** A write of one agency row. */
const stamp = (id: string) => t.store.write((tx) => tx.run(ins(id)));

/** A client whose transactions (as the store opens them) have some methods replaced, to fail as a disk would. */
const overTransactions =
  (replace: (tx: Transaction, mode: TransactionMode | undefined) => Partial<Pick<Transaction, "commit" | "execute">>) =>
  (client: Client): Client =>
    new Proxy(client, {
      get(target, prop, receiver) {
        if (prop !== "transaction") return Reflect.get(target, prop, receiver);
        return async (mode?: TransactionMode) => {
          const tx = await target.transaction(mode);
          const replaced = replace(tx, mode);
          return new Proxy(tx, {
            get(inner, p, r) {
              if (p in replaced) return replaced[p as keyof typeof replaced];
              const v = Reflect.get(inner, p, r);
              return typeof v === "function" ? v.bind(inner) : v;
            },
          });
        };
      },
    });

const count = async (client: Client, table: string) => Number((await client.execute(`SELECT count(*) AS n FROM ${table}`)).rows[0]!.n);

describe("group commit: writes that arrive together share one transaction", () => {
  it("commits concurrent requests together, and a request that fails leaves its neighbours committed and itself absent", async () => {
    t = await createTestApp(ALL_ADMITTED);
    const { dm } = await staffTokens(t, "GRP");
    await createAuthority(t, dm, "GRP");
    const before = t.store.writeStats();
    // Twenty children and, among them, one whose external id duplicates another's (409).
    const bodies = Array.from({ length: 20 }, (_, i) => childBody("GRP", { externalId: `LCS-G${i}`, givenNames: `Child ${i}` }));
    bodies.push(childBody("GRP", { externalId: "LCS-G3", givenNames: "Duplicate" }));
    const results = await Promise.all(bodies.map((body) => t.call("POST", "/v1/children", { token: dm, body })));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(20);
    expect(statuses.filter((s) => s === 409)).toHaveLength(1);
    // What was answered 201 is there; the refused one is not, and nothing it wrote survived.
    const { rows } = await t.client.execute("SELECT given_names FROM children WHERE authority = 'GRP' ORDER BY given_names");
    expect(rows.map((r) => String(r.given_names))).not.toContain("Duplicate");
    expect(rows).toHaveLength(20);
    // They did share transactions: fewer commits than writes.
    const after = t.store.writeStats();
    expect(after.writes - before.writes).toBeGreaterThanOrEqual(21);
    expect(after.batches - before.batches).toBeLessThan(after.writes - before.writes);
    expect(after.largest).toBeGreaterThan(1);
    // The audit chain is still one chain, with the refusal recorded.
    const auditor = (await staffTokens(t, "GRP")).auditor;
    expect((await t.call("GET", "/v1/audit/verify", { token: auditor })).body).toMatchObject({ ok: true });
  });

  it("rolls back only the failing write's own statements", async () => {
    t = await createTestApp();
    const { dm } = await staffTokens(t, "GRP");
    await createAuthority(t, dm, "GRP");
    const failing = t.store.write(async (tx) => {
      await tx.run(ins("half"));
      throw new Error("this write fails after its first statement");
    });
    const settled = await Promise.allSettled([stamp("A1"), failing, stamp("A2"), stamp("A3")]);
    expect(settled.map((s) => s.status)).toEqual(["fulfilled", "rejected", "fulfilled", "fulfilled"]);
    const { rows } = await t.client.execute("SELECT id FROM agencies ORDER BY id");
    expect(rows.map((r) => String(r.id))).toEqual(["A1", "A2", "A3"]);
  });

  it("answers no write of a group whose transaction fails to commit, and runs each again on its own", async () => {
    let failNextCommit = false;
    // The COMMIT of the first group fails, as a full disk would fail it.
    const wrap = overTransactions((inner) => ({
      commit: async () => {
        if (!failNextCommit) return inner.commit();
        failNextCommit = false;
        await inner.rollback();
        throw Object.assign(new Error("disk I/O error"), { code: "SQLITE_IOERR" });
      },
    }));
    t = await createTestApp({ wrapClient: wrap });
    failNextCommit = true;
    const before = t.store.writeStats();
    const settled = await Promise.allSettled([stamp("B1"), stamp("B2"), stamp("B3")]);
    expect(settled.map((s) => s.status)).toEqual(["fulfilled", "fulfilled", "fulfilled"]);
    expect((await t.client.execute("SELECT id FROM agencies ORDER BY id")).rows.map((r) => String(r.id))).toEqual(["B1", "B2", "B3"]);
    expect(t.store.writeStats().retriedAlone - before.retriedAlone).toBe(1);
  });

  it("stops a group at an error that ends the whole transaction, so no later write commits on its own", async () => {
    // SQLite answers a full disk by rolling back the transaction, not just the statement.
    const wrap = overTransactions((inner) => ({
      execute: async (stmt: InStatement) => {
        if ((typeof stmt === "string" ? stmt : stmt.sql).includes("'disk-full'")) {
          await inner.execute("ROLLBACK");
          throw Object.assign(new Error("database or disk is full"), { code: "SQLITE_FULL" });
        }
        return inner.execute(stmt);
      },
    }));
    t = await createTestApp({ wrapClient: wrap });
    let attempts = 0;
    const full = t.store.write(async (tx) => {
      // Full on its first run only: alone, the second time, it succeeds.
      if (attempts++ === 0) await tx.run(sql.raw("SELECT 'disk-full'"));
      return tx.run(ins("C2"));
    });
    const settled = await Promise.allSettled([stamp("C1"), full, stamp("C3"), stamp("C4")]);
    expect(settled.map((s) => s.status)).toEqual(["fulfilled", "fulfilled", "fulfilled", "fulfilled"]);
    expect((await t.client.execute("SELECT id FROM agencies ORDER BY id")).rows.map((r) => String(r.id))).toEqual(["C1", "C2", "C3", "C4"]);
  });

  it("keeps the audit chain whole under concurrent audited reads and enquiries", async () => {
    t = await createTestApp(ALL_ADMITTED);
    const s = await setupAuthority(t, "GRPA");
    const child = await planChild(t, s);
    const other = await createChild(t, s.tokens.dm, "GRPA", { givenNames: "Ben", familyName: "Other" });
    const reads = Array.from({ length: 30 }, (_, i) =>
      t.call("GET", `/v1/children/${i % 2 ? child.id : other.id}`, { token: s.tokens.dm }),
    );
    const asks = Array.from({ length: 10 }, (_, i) =>
      t.call("POST", "/v1/enquiries", {
        token: i % 2 ? s.tokens.nurse : s.tokens.sergeant,
        body: enquiryBody("GRPA", { givenNames: "Amelia Rose", familyName: "Hartley", dateOfBirth: "2016-04-09" }),
      }),
    );
    const done = await Promise.all([...reads, ...asks]);
    expect(done.every((r) => r.status === 200 || r.status === 201)).toBe(true);
    // Each of the 30 reads is in the log, and the chain verifies.
    const audited = Number(
      (
        await t.client.execute({
          sql: "SELECT count(*) AS n FROM audit_log WHERE action = 'child.read' AND target_id IN (?, ?)",
          args: [child.id, other.id],
        })
      ).rows[0]!.n,
    );
    expect(audited).toBe(30);
    expect(await count(t.client, "enquiries")).toBe(10);
    expect((await t.call("GET", "/v1/audit/verify", { token: s.tokens.auditor })).body).toMatchObject({ ok: true });
    expect(t.store.writeStats().largest).toBeGreaterThan(1);
  });

  // Both found by an outside attack on the first version of group commit.
  it("refuses the statements a failed write left running, so they cannot commit with a neighbour", async () => {
    t = await createTestApp();
    const failing = t.store.write(async (tx) => {
      await Promise.all([
        (async () => {
          throw new Error("fails at once");
        })(),
        (async () => {
          await tx.run(ins("late-1"));
          await new Promise((r) => setTimeout(r, 5));
          await tx.run(ins("late-2"));
        })().catch(() => {}),
      ]);
    });
    const neighbour = t.store.write(async (tx) => {
      await new Promise((r) => setTimeout(r, 20));
      return tx.run(ins("ok"));
    });
    const settled = await Promise.allSettled([failing, neighbour]);
    expect(settled.map((s) => s.status)).toEqual(["rejected", "fulfilled"]);
    const { rows } = await t.client.execute("SELECT id FROM agencies ORDER BY id");
    // The failing write was rejected: none of its rows may be in the database.
    expect(rows.map((r) => String(r.id))).toEqual(["ok"]);
  });

  it("runs a write again from its start: an enquiry re-run alone is not told of an earlier one from the rolled-back group", async () => {
    let commits = 0;
    let failCommits = new Set<number>();
    const wrap = overTransactions((inner, mode) =>
      mode === "read"
        ? {}
        : {
            commit: async () => {
              if (!failCommits.has(++commits)) return inner.commit();
              await inner.rollback();
              throw Object.assign(new Error("database or disk is full"), { code: "SQLITE_FULL" });
            },
          },
    );
    t = await createTestApp({ wrapClient: wrap });
    const s = await setupAuthority(t, "RTA");
    const body = enquiryBody("RTA", { givenNames: "Lost", familyName: "Child", dateOfBirth: "2020-02-02" });

    // Hold the write queue so that A and B land in one group, A first.
    let open = () => {};
    const gate = new Promise<void>((r) => (open = r));
    const blocker = t.store.write(async () => void (await gate));
    const a = t.call("POST", "/v1/enquiries", { token: s.tokens.sergeant, body });
    await new Promise((r) => setTimeout(r, 300));
    const b = t.call("POST", "/v1/enquiries", { token: s.tokens.nurse, body: { ...body, callbackNumber: "0113 496 0200" } });
    await new Promise((r) => setTimeout(r, 300));
    // Commit n+1 is the blocker's, n+2 the group [A, B]'s, n+3 A's alone (disk still full): B's alone, n+4, succeeds.
    failCommits = new Set([commits + 2, commits + 3]);
    const before = t.store.writeStats();
    open();
    await blocker;
    const [ra, rb] = await Promise.all([a, b]);
    expect(t.store.writeStats().retriedAlone - before.retriedAlone).toBe(1);
    expect(ra.status).toBeGreaterThanOrEqual(500);
    expect(rb.status).toBe(201);

    const { rows } = await t.client.execute("SELECT reference_no, answer FROM enquiries");
    expect(rows).toHaveLength(1);
    const stored = JSON.parse(String(rows[0]!.answer));
    // B is the only enquiry about this child: it must not be told of an earlier one.
    expect(stored.earlierEnquiries).toEqual([]);
  }, 30_000);
});
