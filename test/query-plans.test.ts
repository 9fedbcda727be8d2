import type { Client, InArgs, InStatement, Transaction } from "@libsql/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "./support/app";
import { enquire, enquiryBody, planChild, queueItem, type Setup, setupAuthority } from "./support/enquiry";
import { createChild } from "./support/fixtures";

/**
 * Query plans as tests: every statement the enquiry and call-back paths send to the database
 * is captured from the app's own client, then run through EXPLAIN QUERY PLAN. A full scan of
 * children, their addresses, enquiries or notifications would grow with the register (a
 * million children) and fails the suite.
 */
interface Captured {
  sql: string;
  args: InArgs | undefined;
}
let capturing = false;
const captured = new Map<string, Captured>();
const record = (stmt: InStatement) => {
  if (!capturing) return;
  const sql = typeof stmt === "string" ? stmt : stmt.sql;
  const args = typeof stmt === "string" ? undefined : stmt.args;
  if (/^\s*(select|insert|update|delete|with)\b/i.test(sql) && !captured.has(sql)) captured.set(sql, { sql, args });
};

function recording<T extends Client | Transaction>(target: T): T {
  return new Proxy(target, {
    get(t, prop, receiver) {
      const value = Reflect.get(t, prop, receiver);
      if (prop === "execute")
        return (stmt: InStatement, args?: InArgs) => {
          record(args ? { sql: stmt as string, args } : stmt);
          return (t as Client).execute(stmt as never, args as never);
        };
      if (prop === "batch")
        return (stmts: InStatement[], mode?: never) => {
          for (const s of stmts) record(s);
          return (t as Client).batch(stmts, mode);
        };
      if (prop === "transaction") return async (mode?: never) => recording(await (t as Client).transaction(mode));
      return typeof value === "function" ? value.bind(t) : value;
    },
  });
}

// A search keyed on the authority alone walks every child of a one-authority register: a scan in all but name.
const byAuthorityAlone = /^SEARCH (\w+) USING (?:COVERING )?INDEX \w+ \(authority=\?\)$/;
const WATCHED = ["children", "child_addresses", "child_aliases", "enquiries", "notifications"];

let t: TestApp;
let s: Setup;
beforeAll(async () => {
  t = await createTestApp({ wrapClient: (c) => recording(c) });
  s = await setupAuthority(t, "QP");
  const child = await planChild(t, s);
  for (let i = 0; i < 30; i++)
    await createChild(t, s.tokens.dm, "QP", {
      givenNames: `Child${i}`,
      familyName: `Family${i % 7}`,
      dateOfBirth: `2015-0${(i % 9) + 1}-1${i % 10}`,
      aliases: [],
      addresses: [{ line1: `${i} Mill Lane`, town: "Stafford", postcode: "ST17 4AA", from: "2020-01-01", to: null }],
    });
  // No ANALYZE: the service never runs it, so the planner here works as it does in production.
  // Statistics from thirty children would also tell it that scanning them is cheapest, which
  // at a million is exactly the plan this test exists to catch.

  capturing = true;
  // The enquiry path: known, near miss, unknown twice (a consideration), same address.
  const known = await enquire(
    t,
    s.tokens.sergeant,
    enquiryBody("QP", { givenNames: "Amelia Rose", familyName: "Hartley", dateOfBirth: "2016-04-09" }),
  );
  const near = await enquire(
    t,
    s.tokens.sergeant,
    enquiryBody("QP", { givenNames: "Amelia", familyName: "Hartly", dateOfBirth: "2016-09-04" }),
  );
  const unknown = { givenNames: "Nobody", familyName: "Known", dateOfBirth: "2019-01-01" };
  await enquire(t, s.tokens.sergeant, enquiryBody("QP", unknown));
  await enquire(t, s.tokens.nurse, enquiryBody("QP", unknown, { callbackNumber: "0113 496 0200" }));
  await enquire(t, s.tokens.nurse, {
    ...enquiryBody("QP", { givenNames: "Sibling", familyName: "Hartley" }, { callbackNumber: "0113 496 0200" }),
    addresses: [{ line1: "12 High Street", town: "Stafford", postcode: "ST16 2LH", current: true }],
  });
  // The call-back path and the reads around it.
  await t.call("GET", "/v1/callbacks", { token: s.tokens.edt });
  await t.call("POST", `/v1/callbacks/${known.id}/claim`, { token: s.tokens.edt });
  await t.call("POST", `/v1/callbacks/${known.id}/complete`, {
    token: s.tokens.edt,
    body: { numberDialled: "0121 496 0100", adviceGiven: "Told of the plan." },
  });
  await t.call("POST", `/v1/callbacks/${near.id}/claim`, { token: s.tokens.edt });
  await t.call("POST", `/v1/callbacks/${near.id}/confirm-match`, { token: s.tokens.edt, body: { childId: child.id } });
  expect(await queueItem(t, s.tokens.edt, known.id, "completed"), "the call-back was completed").toBeTruthy();
  await t.call("GET", "/v1/notifications", { token: s.tokens.sam });
  await t.call("GET", `/v1/enquiries/${known.id}`, { token: s.tokens.sergeant });
  await t.call("GET", `/v1/children/${child.id}`, { token: s.tokens.dm });
  capturing = false;
});
afterAll(() => t?.close());

describe("query plans of the enquiry and call-back paths", () => {
  it("captured the statements the app sent", () => {
    expect(captured.size).toBeGreaterThan(20);
    const all = [...captured.keys()].join("\n");
    for (const table of ["children", "enquiries", "notifications", "cin_considerations"]) expect(all).toContain(`"${table}"`);
  });

  it("scans no table that grows with the register", async () => {
    const scans: string[] = [];
    for (const { sql, args } of captured.values()) {
      const plan = await t.client.execute({ sql: `EXPLAIN QUERY PLAN ${sql}`, args: args ?? [] });
      for (const row of plan.rows) {
        const detail = String(row.detail);
        const m = /^SCAN (\w+)/.exec(detail) ?? byAuthorityAlone.exec(detail);
        if (m && WATCHED.includes(m[1]!)) scans.push(`${detail}\n    in: ${sql.slice(0, 300)}`);
      }
    }
    expect(scans).toEqual([]);
  });
});
