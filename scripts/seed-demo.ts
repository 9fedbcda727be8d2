/**
 * Loads a small demo register through the service's own API (so every rule applies):
 * two authorities, children on plans with different categories, open and closed cases,
 * a plan child with a sibling at the same address, an ended plan, a conference with no
 * plan, an unborn child, and recognised numbers for a police force and a hospital.
 * Running it again on the same database changes nothing.
 *
 *   npm run seed:demo          (DATABASE_URL as for npm start)
 */
import { createApp } from "../src/app";
import { signDevToken } from "../src/auth/dev-token";
import { createTokenVerifier } from "../src/auth/verify";
import { migrateDatabase } from "../src/db/migrate";
import { openNodeClient } from "../src/db/open-node";
import { createStore, isEmbeddedUrl } from "../src/db/store";
import { systemClock } from "../src/lib/clock";
import { ConfigError, parseConfig } from "../src/lib/config";

const config = (() => {
  try {
    return parseConfig(process.env);
  } catch (err) {
    console.error(err instanceof ConfigError ? err.message : String(err));
    process.exit(2);
  }
})();
if (config.appEnv === "production") {
  console.error("The demo register is refused when APP_ENV=production.");
  process.exit(2);
}

const client = await openNodeClient(config.databaseUrl, config.databaseAuthToken, config.databaseEncryptionKey);
if (isEmbeddedUrl(config.databaseUrl)) await migrateDatabase(client);
const app = createApp({
  store: createStore(client, { serialiseWrites: isEmbeddedUrl(config.databaseUrl), auditHashKey: config.audit.hashKey }),
  clock: systemClock,
  config,
  verifyToken: createTokenVerifier(config.auth),
  log: () => {},
});
const token = await signDevToken(config.auth, {
  sub: "demo-seeder",
  name: "Demo seeder",
  roles: ["designated_manager"],
  authorities: ["STAFFS", "DORSET"],
});

async function post(path: string, body: unknown, method = "POST") {
  const res = await app.request(path, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const json = await res.json();
  if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status}: ${JSON.stringify(json)}`);
  return json as { id: string };
}

const existing = await app.request("/v1/authorities?limit=1000", { headers: { authorization: `Bearer ${token}` } });
if (((await existing.json()) as { items: { code: string }[] }).items.some((a) => a.code === "STAFFS")) {
  console.log("The demo register is already loaded (authority STAFFS exists); nothing changed.");
  process.exit(0);
}

await post("/v1/authorities", { code: "STAFFS", name: "Staffordshire County Council", firstResponsePhone: "0121 496 0000" });
await post("/v1/authorities", { code: "DORSET", name: "Dorset Council", firstResponsePhone: "0113 496 0000" });

const sam = await post("/v1/workers", {
  authority: "STAFFS",
  name: "Sam Patel",
  team: "Stafford North",
  phone: "0121 496 0001",
  email: "sam.patel@example.org",
  userId: "kw-sam",
  externalId: "W-001",
});
const jo = await post("/v1/workers", {
  authority: "STAFFS",
  name: "Jo Brennan",
  team: "Stafford South",
  phone: "0121 496 0002",
  userId: "kw-jo",
  externalId: "W-002",
});
const chris = await post("/v1/workers", {
  authority: "DORSET",
  name: "Chris Dale",
  team: "Weymouth",
  phone: "0113 496 0003",
  userId: "kw-chris",
  externalId: "W-101",
});

await post("/v1/agencies", { name: "Staffordshire Police", recognisedNumbers: ["0121 496 0100", "0121 496 0101"] });
await post("/v1/agencies", { name: "County Hospital Emergency Department", recognisedNumbers: ["0113 496 0200"] });

const address = (line1: string, postcode: string, from: string) => [{ line1, town: "Stafford", postcode, from, to: null }];

// A plan child (neglect) and her brother at the same address: an enquiry about him reaches her key worker.
const amelia = await post("/v1/children", {
  authority: "STAFFS",
  externalId: "LCS-1001",
  givenNames: "Amelia Rose",
  familyName: "Hartley",
  dateOfBirth: "2016-04-09",
  sex: "female",
  addresses: address("12 High Street", "ST16 2LH", "2019-01-01"),
  householdNote: "Mother's partner (Dean Cole) is subject to a non-molestation order.",
});
await post(`/v1/children/${amelia.id}/cases`, { type: "child_protection", openedOn: "2026-05-20", keyWorkerId: sam.id });
await post(`/v1/children/${amelia.id}/conferences`, { type: "initial", heldOn: "2026-06-01", outcome: "plan" });
await post(`/v1/children/${amelia.id}/plans`, { startDate: "2026-06-01", categories: ["neglect"] });
await post("/v1/children", {
  authority: "STAFFS",
  externalId: "LCS-1002",
  givenNames: "Oliver",
  familyName: "Hartley",
  dateOfBirth: "2019-01-15",
  sex: "male",
  addresses: address("12 High St", "ST16 2LH", "2019-01-15"),
});

// A current plan whose categories changed, with an alias from a step-parent's surname.
const jayden = await post("/v1/children", {
  authority: "STAFFS",
  externalId: "LCS-1003",
  givenNames: "Jayden",
  familyName: "Smith",
  aliases: [{ givenNames: "Jayden", familyName: "Walker" }],
  dateOfBirth: "2012-09-30",
  sex: "male",
  addresses: address("Flat 3, 40 Foregate Street", "ST16 2PA", "2022-03-01"),
});
await post(`/v1/children/${jayden.id}/cases`, { type: "child_protection", openedOn: "2025-09-01", keyWorkerId: jo.id });
const jaydenPlan = await post(`/v1/children/${jayden.id}/plans`, { startDate: "2025-09-15", categories: ["physical_abuse"] });
await post(`/v1/plans/${jaydenPlan.id}`, { categories: ["physical_abuse", "emotional_abuse"], changedOn: "2026-01-10" }, "PATCH");

// An ended plan and a closed case.
const chloe = await post("/v1/children", {
  authority: "STAFFS",
  externalId: "LCS-1004",
  givenNames: "Chloe",
  familyName: "Evans",
  dateOfBirth: "2014-02-11",
  sex: "female",
  addresses: address("7 Mill Lane", "ST17 4AA", "2018-06-01"),
});
const chloeCase = await post(`/v1/children/${chloe.id}/cases`, { type: "child_protection", openedOn: "2024-01-05", keyWorkerId: jo.id });
const chloePlan = await post(`/v1/children/${chloe.id}/plans`, { startDate: "2024-02-01", categories: ["sexual_abuse"] });
await post(`/v1/plans/${chloePlan.id}`, { endDate: "2025-03-01", endReason: "no_longer_at_risk" }, "PATCH");
await post(`/v1/cases/${chloeCase.id}`, { closedOn: "2025-04-01" }, "PATCH");

// A conference that decided no plan was needed; the case stays open as child in need.
const mason = await post("/v1/children", {
  authority: "STAFFS",
  externalId: "LCS-1005",
  givenNames: "Mason",
  familyName: "Wright",
  dateOfBirth: "2017-05-05",
  sex: "male",
  addresses: address("Rose Cottage, Church Road", "ST18 0AB", "2017-05-05"),
});
await post(`/v1/children/${mason.id}/cases`, { type: "child_in_need", openedOn: "2026-01-20", keyWorkerId: sam.id });
await post(`/v1/children/${mason.id}/conferences`, { type: "initial", heldOn: "2026-02-10", outcome: "no_plan" });

// An unborn child on a pre-birth plan.
const unborn = await post("/v1/children", {
  authority: "STAFFS",
  externalId: "LCS-1006",
  givenNames: "Unborn",
  familyName: "Turner",
  expectedDateOfDelivery: "2027-01-20",
  addresses: address("22 Station Road", "ST16 1AA", "2024-01-01"),
});
await post(`/v1/children/${unborn.id}/cases`, { type: "child_protection", openedOn: "2026-09-01", keyWorkerId: sam.id });
await post(`/v1/children/${unborn.id}/plans`, { startDate: "2026-10-01", categories: ["neglect"] });

// The second authority.
const ruby = await post("/v1/children", {
  authority: "DORSET",
  externalId: "DOR-2001",
  givenNames: "Ruby",
  familyName: "Clarke",
  dateOfBirth: "2015-08-08",
  sex: "female",
  addresses: [{ line1: "5 Esplanade", town: "Weymouth", postcode: "DT4 8DN", from: "2020-01-01", to: null }],
});
await post(`/v1/children/${ruby.id}/cases`, { type: "child_protection", openedOn: "2026-03-01", keyWorkerId: chris.id });
await post(`/v1/children/${ruby.id}/plans`, { startDate: "2026-03-15", categories: ["emotional_abuse"] });

console.log(`Demo register loaded into ${config.databaseUrl}:
  authorities STAFFS and DORSET; 7 children (4 on current plans, 1 ended plan, 1 no-plan conference, 1 unborn);
  key workers Sam Patel (login kw-sam), Jo Brennan (kw-jo), Chris Dale (kw-chris);
  agencies "Staffordshire Police" (0121 496 0100/0101) and "County Hospital Emergency Department" (0113 496 0200).
Try: TOKEN=$(npm run -s token -- --role designated_manager --authority STAFFS)
     curl -H "Authorization: Bearer $TOKEN" "http://localhost:${config.port}/v1/children?q=hartley"`);
client.close();
