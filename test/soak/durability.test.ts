import { createClient } from "@libsql/client";
import { afterAll, describe, expect, it } from "vitest";
import { Rng } from "../../scripts/synth/rng";
import { type Started, startNodeServer } from "../support/server";
import {
  type Api,
  type AuthorityTokens,
  agenciesOf,
  api,
  authorityTokens,
  refNo,
  type SoakDb,
  seedAuthority,
  sleep,
  soakDb,
} from "./support";

/**
 * Kill -9 under load: the server is killed while enquiries are in flight, restarted on the
 * same file, and everything it acknowledged (201) must be there, complete, as its users see it.
 * Requests that got no answer may or may not exist, but one that exists must be whole.
 *
 * SOAK_KILLS (default 8) sets the number of kills, SOAK_SEED replays a run's choices.
 */
const CODE = "DURA";
const KILLS = Number(process.env.SOAK_KILLS ?? 8);
const SEED = Number(process.env.SOAK_SEED ?? Date.now() % 2_147_483_647);

type Kind = "known" | "repeat" | "other";
interface Enquirer {
  sub: string;
  token: string;
  agency: string;
  profession: string;
  number: string;
}
interface Sent {
  reason: string;
  kind: Kind;
  enquirer: Enquirer;
  round: number;
  child: { givenNames: string; familyName: string; dateOfBirth: string };
  outcome: "pending" | "acknowledged" | "no_response";
}
interface Ack {
  id: string;
  reference: string;
  sent: Sent;
}

const KNOWN_CHILD = { givenNames: "Amelia", familyName: "Hartley", dateOfBirth: "2016-04-09" };
const REPEATED_CHILD = { givenNames: "Rowan", familyName: "Pemberton", dateOfBirth: "2018-05-05" };
const GIVEN = ["Oliver", "Isla", "Noah", "Freya", "Arlo", "Esme", "Theo", "Ivy", "Jude", "Maya"];

let db: SoakDb | undefined;
let live: Started | undefined;
afterAll(async () => {
  if (live && live.proc.exitCode === null && live.proc.signalCode === null) await live.stop("SIGKILL");
  db?.remove();
});

/** A family name of letters only, different for every n (and unlike any other family name used here). */
const familyFor = (n: number) => {
  let s = "";
  let k = n;
  do {
    s += "bcdfghklmnprstvz"[k % 16];
    k = Math.floor(k / 16);
  } while (k > 0);
  return `Soak${s}a`;
};
const dobFor = (n: number) => new Date(Date.UTC(2010, 0, 1) + n * 86_400_000).toISOString().slice(0, 10);

describe("Durability", () => {
  it(`every acknowledged enquiry survives ${KILLS} kill -9s under load, complete, and the file stays sound`, async () => {
    const rand = new Rng(SEED);
    db = soakDb("durability");
    const tokens: AuthorityTokens = await authorityTokens(db, CODE);
    const agencies = agenciesOf(CODE);
    const enquirers: Enquirer[] = await Promise.all(
      [
        ["dura-sgt", 0, "police_sergeant"],
        ["dura-caiu", 0, "police_caiu_officer"],
        ["dura-nurse", 1, "registered_nurse"],
        ["dura-hv", 1, "health_visitor"],
        ["dura-head", 2, "head_teacher"],
      ].map(async ([sub, i, profession]) => {
        const agency = agencies[i as number]!;
        return {
          sub: sub as string,
          agency: agency.name,
          profession: profession as string,
          number: agency.number,
          token: await db!.token({
            sub: sub as string,
            name: `Enquirer ${sub}`,
            roles: ["enquirer"],
            profession: profession as string,
            agency: agency.name,
          }),
        };
      }),
    );

    const sent = new Map<string, Sent>();
    const acks: Ack[] = [];
    let verified = 0;
    let noResponse = 0;
    let presentWithoutResponse = 0;
    let planChildId = "";
    let otherCount = 0;
    const startedAt = Date.now();

    const nextRequest = (round: number, n: number): Sent => {
      const x = rand.next();
      const kind: Kind = x < 0.3 ? "known" : x < 0.6 ? "repeat" : "other";
      const child =
        kind === "known"
          ? KNOWN_CHILD
          : kind === "repeat"
            ? REPEATED_CHILD
            : { givenNames: rand.pick(GIVEN), familyName: familyFor(otherCount), dateOfBirth: dobFor(otherCount++) };
      const s: Sent = {
        reason: `Soak round ${round} request ${n}: concern about ${child.givenNames}`,
        kind,
        enquirer: rand.pick(enquirers),
        round,
        child,
        outcome: "pending",
      };
      sent.set(s.reason, s);
      return s;
    };

    /** Checks the register as its users see it after a restart; `fresh` are the acknowledgements not yet read back by their enquirer. */
    const verify = async (a: Api, fresh: Ack[]) => {
      // Every acknowledged enquiry is there for its enquirer, as it was acknowledged.
      for (const ack of fresh) {
        const own = await a.must(200, "GET", `/v1/enquiries/${ack.id}`, { token: ack.sent.enquirer.token });
        expect(own).toMatchObject({
          id: ack.id,
          reference: ack.reference,
          authority: CODE,
          status: "awaiting_callback",
          reason: ack.sent.reason,
          child: ack.sent.child,
        });
        verified++;
      }

      // The duty officer's queue and the enquirers' own lists hold exactly the same enquiries.
      const queue = await a.all("/v1/callbacks?status=pending", tokens.edt);
      const own = (await Promise.all(enquirers.map((e) => a.all("/v1/enquiries", e.token)))).flat();
      const queueIds = new Set(queue.map((q) => q.id as string));
      expect(queueIds.size).toBe(queue.length);
      expect(new Set(own.map((e) => e.id as string))).toEqual(queueIds);
      expect(own).toHaveLength(queue.length);
      expect((await a.all("/v1/callbacks?status=claimed", tokens.edt)).length).toBe(0);

      // References are gap-free: a transaction that did not commit took no number.
      const numbers = queue.map((q) => refNo(q.reference)).sort((x, y) => x - y);
      expect(numbers).toEqual(Array.from({ length: numbers.length }, (_, k) => k + 1));

      // Every acknowledgement so far is in the queue under its reference.
      const byId = new Map(queue.map((q) => [q.id as string, q]));
      for (const ack of acks) expect(byId.get(ack.id)?.reference, `${ack.reference} in the queue`).toBe(ack.reference);

      // Every enquiry that exists is one we sent, once, and is whole: the contact sheet and its answer.
      const reasons = new Set<string>();
      for (const item of queue) {
        const s = sent.get(item.enquiry.reason);
        expect(s, `queue item ${item.reference} (${item.enquiry.reason}) was sent`).toBeDefined();
        expect(reasons.has(item.enquiry.reason), `${item.enquiry.reason} recorded once`).toBe(false);
        reasons.add(item.enquiry.reason);
        expect(item.enquiry.child).toMatchObject(s!.child);
        expect(item.enquirer).toEqual({
          name: `Enquirer ${s!.enquirer.sub}`,
          profession: s!.enquirer.profession,
          agency: s!.enquirer.agency,
        });
        expect(item.callbackNumberRecognised).toBe(true);
        expect(item.answer, `answer of ${item.reference}`).toBeTruthy();
        if (s!.kind === "known")
          expect(item.answer).toMatchObject({
            match: "known",
            child: { id: planChildId, name: "Amelia Rose Hartley", dateOfBirth: "2016-04-09", authority: CODE },
            currentPlan: { categories: ["neglect"] },
            case: { status: "open", keyWorker: { name: "Sam Patel" } },
          });
        else expect(item.answer).toMatchObject({ match: "not_known", child: null });
        if (s!.kind === "other") expect(item.answer.earlierEnquiries).toEqual([]);
        if (s!.outcome === "no_response") {
          presentWithoutResponse++;
          s!.outcome = "acknowledged"; // counted once; from now on it is simply an enquiry that exists
        }
      }

      // Each enquiry about the known child told its key worker, once; nothing else did.
      const notes = await a.all("/v1/notifications", tokens.sam);
      const known = queue.filter((q) => sent.get(q.enquiry.reason)!.kind === "known");
      expect(notes.every((n) => n.kind === "enquiry_about_open_case" && n.child.id === planChildId)).toBe(true);
      expect(notes.map((n) => n.enquiry.reference).sort()).toEqual(known.map((q) => q.reference).sort());

      // The enquiries about the repeated unknown child: each told of all the earlier ones, and
      // from the second on all of them in one open consideration.
      const repeats = queue
        .filter((q) => sent.get(q.enquiry.reason)!.kind === "repeat")
        .sort((x, y) => refNo(x.reference) - refNo(y.reference));
      repeats.forEach((q, k) => {
        expect(
          q.answer.earlierEnquiries.map((e: { reference: string }) => e.reference),
          `earlier enquiries of ${q.reference}`,
        ).toEqual(repeats.slice(0, k).map((r) => r.reference));
      });
      const open = await a.all("/v1/cin-considerations?status=open", tokens.dm);
      expect(await a.all("/v1/cin-considerations?status=decided", tokens.dm)).toEqual([]);
      if (repeats.length >= 2) {
        expect(open).toHaveLength(1);
        expect(open[0].enquiries.map((e: { reference: string }) => e.reference)).toEqual(repeats.map((r) => r.reference));
        for (const e of open[0].enquiries) expect(e.child).toMatchObject(REPEATED_CHILD);
      } else expect(open).toEqual([]);

      // The audit log's hash chain holds across the kills.
      const chain = await a.must(200, "GET", "/v1/audit/verify", { token: tokens.auditor });
      expect(chain, "audit chain").toMatchObject({ ok: true, firstBrokenId: null });
      return { queue: queue.length, known: known.length, repeats: repeats.length, audit: chain.checked as number };
    };

    let fresh: Ack[] = [];
    let kills = 0;
    for (let round = 0; round < KILLS; round++) {
      const server = await startNodeServer(db.env);
      live = server;
      const a = api(server.url);
      if (round === 0) {
        const seeded = await seedAuthority(a, db, CODE, { planChild: true });
        planChildId = seeded.child!.id;
      } else {
        await verify(a, fresh);
        fresh = [];
      }

      // Load: a fixed number of requests always in flight, until the kill.
      const inFlight = rand.int(8, 16);
      const killAfter = rand.int(25, 75);
      const killDelay = rand.int(0, 40);
      let acked = 0;
      let killIssued = false;
      let killed: Promise<number | null> | null = null;
      const unexpected: string[] = [];
      let n = 0;
      const worker = async () => {
        while (!killIssued) {
          const s = nextRequest(round, n++);
          let status: number;
          let body: any;
          try {
            ({ status, body } = await a.call("POST", "/v1/enquiries", {
              token: s.enquirer.token,
              timeoutMs: 30_000,
              body: {
                authority: CODE,
                child: { aliases: [], ...s.child },
                addresses: [],
                carers: [],
                reason: s.reason,
                callbackNumber: s.enquirer.number,
              },
            }));
          } catch (err) {
            s.outcome = "no_response";
            noResponse++;
            if (!killIssued) unexpected.push(`no response before the kill: ${(err as Error).message}`);
            return;
          }
          if (status !== 201) {
            unexpected.push(`${status} ${JSON.stringify(body)}`);
            s.outcome = "no_response";
            return;
          }
          s.outcome = "acknowledged";
          const ack = { id: body.id as string, reference: body.reference as string, sent: s };
          acks.push(ack);
          fresh.push(ack);
          if (++acked === killAfter)
            killed = (async () => {
              await sleep(killDelay);
              killIssued = true;
              return server.stop("SIGKILL");
            })();
        }
      };
      await Promise.all(Array.from({ length: inFlight }, worker));
      expect(unexpected, `round ${round}`).toEqual([]);
      expect(killed).not.toBeNull();
      await killed;
      expect(server.proc.signalCode).toBe("SIGKILL");
      kills++;
    }

    // The file as the last kill left it, before anything recovers it: sound, and its references whole.
    const file = createClient({ url: `file:${db.dbPath}` });
    try {
      expect((await file.execute("PRAGMA integrity_check")).rows.map((r) => String(r[0]))).toEqual(["ok"]);
      expect((await file.execute("PRAGMA foreign_key_check")).rows).toEqual([]);
    } finally {
      file.close();
    }

    const last = await startNodeServer(db.env);
    live = last;
    const totals = await verify(api(last.url), fresh);
    expect(await last.stop()).toBe(0);

    expect(kills).toBe(KILLS);
    expect(verified).toBe(acks.length);
    expect(totals.queue).toBeGreaterThanOrEqual(acks.length);
    // The kills did land while requests were in flight.
    expect(noResponse).toBeGreaterThan(0);
    console.log(
      `durability: seed=${SEED} ${Math.round((Date.now() - startedAt) / 1000)} s; enquiries=${totals.queue} (known=${totals.known} repeated=${totals.repeats}) ` +
        `unanswered=${noResponse} of which recorded=${presentWithoutResponse}; audit rows=${totals.audit}`,
    );
    console.log(`durability: kills=${kills} acknowledged=${acks.length} verified=${verified}`);
  });
});
