import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Started, startNodeServer } from "../support/server";
import { type Api, type AuthorityTokens, agenciesOf, api, authorityTokens, refNo, type SoakDb, seedAuthority, soakDb } from "./support";

const CODE = "CONC";
const WRITERS = 100;

let db: SoakDb;
let server: Started;
let a: Api;
let tokens: AuthorityTokens;

beforeAll(async () => {
  db = soakDb("concurrency");
  server = await startNodeServer(db.env);
  a = api(server.url);
  tokens = await authorityTokens(db, CODE);
  await seedAuthority(a, db, CODE);
});

afterAll(async () => {
  if (server && server.proc.exitCode === null) await server.stop();
  db?.remove();
});

describe("Concurrency", () => {
  it(`${WRITERS} enquirers asking at once about the same unknown child: every one recorded, references gap-free, one consideration holding them all`, async () => {
    const agencies = agenciesOf(CODE);
    const enquirers = await Promise.all(
      Array.from({ length: WRITERS }, async (_, i) => {
        const agency = agencies[i % agencies.length]!;
        const profession = agency.professions[Math.floor(i / agencies.length) % agency.professions.length]!;
        const token = await db.token({
          sub: `conc-enquirer-${i}`,
          name: `Enquirer ${i}`,
          roles: ["enquirer"],
          profession,
          agency: agency.name,
        });
        return { i, token, agency, profession };
      }),
    );
    const child = { givenNames: "Tobias", familyName: "Crowley", aliases: [], dateOfBirth: "2019-07-14" };
    const addresses = [{ line1: "4 Mill Lane", town: "Stafford", postcode: "ST17 4AB", current: true }];

    const started = Date.now();
    const results = await Promise.all(
      enquirers.map((e) =>
        a.call("POST", "/v1/enquiries", {
          token: e.token,
          body: {
            authority: CODE,
            child,
            addresses,
            carers: [],
            reason: `Concern ${e.i} about the same child`,
            callbackNumber: e.agency.number,
          },
        }),
      ),
    );
    const elapsed = Date.now() - started;

    // Every writer was answered 201, and nothing was refused or lost.
    const statuses = results.map((r) => r.status);
    expect(
      statuses.filter((s) => s !== 201),
      JSON.stringify(results.find((r) => r.status !== 201)?.body),
    ).toEqual([]);
    for (const r of results) expect(r.body).toMatchObject({ status: "awaiting_callback", callbackNumberRecognised: true });

    // References: unique, and gap-free from the first on this fresh database.
    const refs = results.map((r) => r.body.reference as string);
    expect(new Set(refs).size).toBe(WRITERS);
    const numbers = refs.map(refNo).sort((x, y) => x - y);
    expect(numbers).toEqual(Array.from({ length: WRITERS }, (_, k) => k + 1));
    expect(numbers[0]).toBe(1);
    expect(refs).toContain("ENQ-000001");
    expect(refs).toContain(`ENQ-${String(WRITERS).padStart(6, "0")}`);

    // Each enquirer finds their own enquiry, as recorded.
    for (const [k, e] of enquirers.entries()) {
      const own = await a.must(200, "GET", `/v1/enquiries/${results[k]!.body.id}`, { token: e.token });
      expect(own).toMatchObject({
        id: results[k]!.body.id,
        reference: refs[k],
        status: "awaiting_callback",
        reason: `Concern ${e.i} about the same child`,
      });
    }

    // Exactly one open consideration for the child, holding all of the enquiries.
    const open = await a.all("/v1/cin-considerations?status=open", tokens.dm);
    expect(open).toHaveLength(1);
    const consideration = open[0];
    expect(consideration).toMatchObject({ authority: CODE, status: "open", decision: null, decidedAt: null, note: null });
    expect(consideration.enquiries).toHaveLength(WRITERS);
    expect(new Set(consideration.enquiries.map((e: { id: string }) => e.id))).toEqual(new Set(results.map((r) => r.body.id)));
    // Listed in reference order, each with who asked.
    expect(consideration.enquiries.map((e: { reference: string }) => refNo(e.reference))).toEqual(numbers);
    for (const e of consideration.enquiries) {
      expect(e.child).toMatchObject({ givenNames: "Tobias", familyName: "Crowley", dateOfBirth: "2019-07-14" });
      expect(e.enquirer.agency).toMatch(new RegExp(`^${CODE} `));
    }
    expect(await a.all("/v1/cin-considerations?status=decided", tokens.dm)).toEqual([]);

    // Each enquiry after the first is answered with every earlier one (answer.earlierEnquiries,
    // what the duty officer tells the enquirer on the call-back); the first with none.
    const queue = await a.all("/v1/callbacks?status=pending", tokens.edt);
    expect(queue).toHaveLength(WRITERS);
    const byRef = new Map(queue.map((q: any) => [refNo(q.reference), q]));
    const agencyOf = new Map(results.map((r, k) => [r.body.reference as string, enquirers[k]!]));
    for (let n = 1; n <= WRITERS; n++) {
      const item = byRef.get(n);
      expect(item, `queue item ENQ-${n}`).toBeDefined();
      expect(item.answer).toMatchObject({ match: "not_known", child: null, currentPlan: null, candidates: [] });
      const earlier = item.answer.earlierEnquiries as { reference: string; receivedAt: string; agency: string; profession: string }[];
      expect(
        earlier.map((x) => refNo(x.reference)),
        `earlier enquiries of ENQ-${n}`,
      ).toEqual(Array.from({ length: n - 1 }, (_, k) => k + 1));
      for (const x of earlier) {
        const who = agencyOf.get(x.reference)!;
        expect(x).toMatchObject({ agency: who.agency.name, profession: who.profession });
      }
    }

    // The audit chain holds after all of it.
    const verified = await a.must(200, "GET", "/v1/audit/verify", { token: tokens.auditor });
    expect(verified).toMatchObject({ ok: true, firstBrokenId: null });
    expect(verified.checked).toBeGreaterThan(WRITERS);

    console.log(`concurrency: ${WRITERS} concurrent POST /v1/enquiries answered in ${elapsed} ms`);
    console.log(
      `concurrency: writers=${results.filter((r) => r.status === 201).length} references=${new Set(refs).size} considerations=${open.length}`,
    );
  });
});
