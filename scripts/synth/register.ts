/**
 * A synthetic register that looks like a real authority's: households of siblings sharing
 * a surname and address, twins, moves, step-parent aliases, hyphenated and double-barrelled
 * surnames, names with diacritics and apostrophes, first names drawn by birth year from the
 * ONS counts, and a history mix (about 1 in 100 children on a current plan).
 */
import { fakerEN_GB } from "@faker-js/faker";
import { isValid } from "postcode";
import { DIACRITIC, loadFirstNames, loadSurnames } from "./names";
import { addDays, Rng } from "./rng";

export interface GenOptions {
  children: number;
  seed: number;
  authority: string;
  /** The day the register is exported: no date lies after it. */
  asOf: string;
}

export interface WorkerLine {
  authority: string;
  externalId: string;
  name: string;
  team: string;
  phone: string;
}

export interface ChildLine {
  authority: string;
  externalId: string;
  givenNames: string;
  familyName: string;
  aliases: { givenNames?: string; familyName?: string }[];
  dateOfBirth: string;
  sex: "female" | "male";
  nhsNumber: string | null;
  addresses: { line1: string; town: string; postcode: string; from: string; to: string | null }[];
  householdNote: string | null;
  cases: { type: string; openedOn: string; closedOn: string | null; keyWorkerExternalId: string }[];
  plans: { startDate: string; endDate: string | null; endReason: string | null; categories: string[] }[];
  conferences: { type: string; heldOn: string; outcome: string }[];
}

const AREAS = ["ST", "WS", "WV", "DE", "TF", "SK", "CW", "B", "DY", "WR"];
const UNIT = "ABDEFGHJLNPQRSTUWXYZ";
const CATEGORY = [
  "neglect",
  "neglect",
  "neglect",
  "neglect",
  "neglect",
  "emotional_abuse",
  "emotional_abuse",
  "emotional_abuse",
  "physical_abuse",
  "sexual_abuse",
];

function nhsNumber(rng: Rng): string {
  for (;;) {
    const d = Array.from({ length: 9 }, () => rng.int(0, 9));
    const sum = d.reduce((a, x, i) => a + x * (10 - i), 0);
    const check = 11 - (sum % 11);
    if (check === 10) continue;
    return `${d.join("")}${check === 11 ? 0 : check}`;
  }
}

function postcodePool(rng: Rng, size: number): string[] {
  const pool = new Set<string>();
  while (pool.size < size) {
    const pc = `${rng.pick(AREAS)}${rng.int(1, 29)} ${rng.int(0, 9)}${rng.pick([...UNIT])}${rng.pick([...UNIT])}`;
    if (isValid(pc)) pool.add(pc);
  }
  return [...pool];
}

export function* generateRegister(o: GenOptions): Generator<{ worker: WorkerLine } | { child: ChildLine }> {
  const rng = new Rng(o.seed);
  fakerEN_GB.seed(o.seed);
  const firstNames = loadFirstNames();
  const surnames = loadSurnames();
  const asOfYear = Number(o.asOf.slice(0, 4));

  const workerCount = Math.max(10, Math.ceil(o.children / 400));
  const workerIds: string[] = [];
  for (let i = 1; i <= workerCount; i++) {
    const id = `W-${String(i).padStart(5, "0")}`;
    workerIds.push(id);
    yield {
      worker: {
        authority: o.authority,
        externalId: id,
        name: `${fakerEN_GB.person.firstName()} ${surnames.pick(rng)}`,
        team: `Team ${1 + (i % 12)}`,
        phone: `0121 496 ${String(i % 1000).padStart(4, "0")}`,
      },
    };
  }

  const postcodes = postcodePool(rng, Math.max(50, Math.ceil(o.children / 12)));
  const streetOf = new Map<string, string>();
  const town = fakerEN_GB.location.city();
  const address = () => {
    const postcode = rng.pick(postcodes);
    const street = streetOf.get(postcode) ?? fakerEN_GB.location.street();
    streetOf.set(postcode, street);
    const number = rng.int(1, 199);
    return { line1: rng.chance(0.1) ? `Flat ${rng.int(1, 12)}, ${number} ${street}` : `${number} ${street}`, town, postcode };
  };
  const given = (year: number, sex: "M" | "F", taken: Set<string>) => {
    for (;;) {
      const n = firstNames(year, sex).pick(rng);
      if (!taken.has(n)) {
        taken.add(n);
        return rng.chance(0.3) && DIACRITIC[n] ? DIACRITIC[n]! : n;
      }
    }
  };
  const surname = (): string => {
    const a = surnames.pick(rng);
    if (rng.chance(0.03)) return `${a}-${surnames.pick(rng)}`;
    if (rng.chance(0.01)) return `${a} ${surnames.pick(rng)}`;
    return a;
  };

  let made = 0;
  while (made < o.children) {
    const size = Math.min(o.children - made, rng.pick([1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 4]));
    const family = surname();
    const home = address();
    const moved = rng.chance(0.3);
    const movedOn = addDays(o.asOf, -rng.int(30, 2000));
    const previous = moved ? address() : null;
    const taken = new Set<string>();
    let dob = addDays(o.asOf, -rng.int(0, 17 * 365));
    const stepParent = rng.chance(0.08) ? surnames.pick(rng) : null;
    for (let k = 0; k < size; k++) {
      if (k > 0 && !rng.chance(0.05)) {
        // A sibling one to six years younger (or older), within childhood; 5 % are twins.
        const shifted = addDays(dob, rng.pick([-1, 1]) * rng.int(365, 6 * 365));
        if (shifted <= o.asOf && shifted >= addDays(o.asOf, -17 * 365)) dob = shifted;
      }
      const year = Number(dob.slice(0, 4));
      const sex = rng.chance(0.5) ? "F" : "M";
      let givenNames = given(Math.min(year, asOfYear), sex, taken);
      if (rng.chance(0.6)) givenNames += ` ${given(Math.min(year, asOfYear), sex, new Set([givenNames]))}`;
      made++;
      const externalId = `LCS-${String(made).padStart(7, "0")}`;
      const from = dob > movedOn ? dob : movedOn;
      const addresses: ChildLine["addresses"] = [{ ...home, from: moved ? from : dob, to: null }];
      if (previous && dob < movedOn) addresses.push({ ...previous, from: dob, to: addDays(movedOn, -1) });
      const child: ChildLine = {
        authority: o.authority,
        externalId,
        givenNames,
        familyName: family,
        aliases: stepParent && rng.chance(0.7) ? [{ familyName: stepParent }] : [],
        dateOfBirth: dob,
        sex: sex === "F" ? "female" : "male",
        nhsNumber: rng.chance(0.5) ? nhsNumber(rng) : null,
        addresses,
        householdNote: null,
        cases: [],
        plans: [],
        conferences: [],
      };
      history(rng, child, o.asOf, workerIds);
      yield { child };
    }
  }
}

function history(rng: Rng, c: ChildLine, asOf: string, workers: string[]) {
  const worker = () => rng.pick(workers);
  const since = (maxDays: number) => {
    const d = addDays(asOf, -rng.int(20, maxDays));
    return d < c.dateOfBirth ? c.dateOfBirth : d;
  };
  const categories = () => [...new Set([rng.pick(CATEGORY), ...(rng.chance(0.25) ? [rng.pick(CATEGORY)] : [])])];
  const r = rng.next();
  if (r < 0.01) {
    const opened = since(400);
    const planned = addDays(opened, rng.int(10, 30));
    const start = planned > asOf ? opened : planned;
    c.cases.push({ type: "child_protection", openedOn: opened, closedOn: null, keyWorkerExternalId: worker() });
    c.plans.push({ startDate: start, endDate: null, endReason: null, categories: categories() });
    c.conferences.push({ type: "initial", heldOn: start, outcome: "plan" });
    if (rng.chance(0.3)) c.householdNote = "A household member is known to the police for domestic abuse.";
  } else if (r < 0.03) {
    const opened = since(2500);
    const ended = addDays(opened, rng.int(120, 600));
    const end = ended > asOf ? asOf : ended;
    c.cases.push({ type: "child_protection", openedOn: opened, closedOn: end, keyWorkerExternalId: worker() });
    c.plans.push({
      startDate: opened,
      endDate: end,
      endReason: rng.pick(["no_longer_at_risk", "no_longer_at_risk", "moved_authority"]),
      categories: categories(),
    });
  } else if (r < 0.04) {
    const held = since(900);
    c.conferences.push({ type: "initial", heldOn: held, outcome: "no_plan" });
    if (rng.chance(0.5)) c.cases.push({ type: "child_in_need", openedOn: held, closedOn: null, keyWorkerExternalId: worker() });
  } else if (r < 0.09) {
    c.cases.push({ type: "child_in_need", openedOn: since(700), closedOn: null, keyWorkerExternalId: worker() });
  } else if (r < 0.14) {
    const opened = since(3000);
    const closed = addDays(opened, rng.int(30, 300));
    c.cases.push({
      type: rng.pick(["child_in_need", "looked_after"]),
      openedOn: opened,
      closedOn: closed > asOf ? asOf : closed,
      keyWorkerExternalId: worker(),
    });
  }
}
