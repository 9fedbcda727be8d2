import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp, tableChecksum } from "../support/app";
import { enquire, enquiryBody, planChild, type Setup, setupAuthority } from "../support/enquiry";
import { createAuthority, createChild } from "../support/fixtures";
import { type PageRes, signInDev, textOf, type WebUser } from "../support/web";

let t: TestApp;
let s: Setup;
let dm: WebUser;
let otherDm: string;
let otherChildId: string;

beforeAll(async () => {
  t = await createTestApp({ now: "2026-11-23T14:00:00Z" });
  s = await setupAuthority(t, "DMW");
  otherDm = await t.token({ sub: "dm-OTH", roles: ["designated_manager"], authorities: ["OTH"] });
  await createAuthority(t, otherDm, "OTH");
  otherChildId = (await createChild(t, otherDm, "OTH", { givenNames: "Olive", familyName: "Elsewhere" })).id;
  dm = await signInDev(t, { userId: "dm-web-DMW", name: "Dana Web", roles: ["designated_manager"], authorities: ["DMW"] });
});
afterAll(() => t.close());

const auditRows = async (action: string) =>
  (await t.client.execute({ sql: "SELECT user_id, target_id, detail FROM audit_log WHERE action = ? ORDER BY rowid", args: [action] }))
    .rows;

/** An upload as a browser sends it: multipart, with the session cookie and (unless told not to) the CSRF token. */
async function upload(
  app: TestApp,
  user: WebUser,
  name: string,
  content: string | Uint8Array<ArrayBuffer>,
  opts: { csrf?: boolean } = {},
): Promise<PageRes> {
  const form = new FormData();
  if (opts.csrf !== false) form.append("_csrf", user.csrf);
  form.append("file", new File([content], name, { type: "application/x-ndjson" }));
  const res = await app.app.request("/import", { method: "POST", headers: { cookie: user.cookie, accept: "text/html" }, body: form });
  return { status: res.status, headers: res.headers, html: await res.text(), location: res.headers.get("location") };
}

describe("register search and the child's record", () => {
  let child: { id: string };
  beforeAll(async () => {
    child = await planChild(t, s);
    const record = (await t.call("GET", `/v1/children/${child.id}`, { token: s.tokens.dm })).body;
    // A second category from 1 September, so the record has a category history to show.
    const changed = await t.call("PATCH", `/v1/plans/${record.plans[0].id}`, {
      token: s.tokens.dm,
      body: { categories: ["neglect", "emotional_abuse"], changedOn: "2026-09-01" },
    });
    expect(changed.status).toBe(200);
  });

  it("finds the child by the beginnings of names, by a form post so that no name is in an address", async () => {
    const form = await dm.get("/register");
    expect(form.status).toBe(200);
    expect(form.html).toContain('method="post" action="/register"');
    const res = await dm.post("/register", { q: "amel hart" });
    expect(res.status).toBe(200);
    const text = textOf(res.html);
    expect(text).toContain("1 child found");
    expect(text).toContain("Amelia Rose Hartley");
    expect(text).toContain("9 April 2016");
    expect(text).toContain("ST16 2LH");
    expect(res.html).toContain(`href="/register/children/${child.id}"`);
    expect(/<title>([^<]*)<\/title>/.exec(res.html)![1]).not.toMatch(/Amelia|Hartley/);
    expect((await auditRows("child.search")).some((r) => r.user_id === "dm-web-DMW")).toBe(true);
  });

  it("searches by date of birth alone, and says when nothing matches", async () => {
    const byDate = await dm.post("/register", { q: "", "dateOfBirth-day": "9", "dateOfBirth-month": "4", "dateOfBirth-year": "2016" });
    expect(byDate.status).toBe(200);
    expect(textOf(byDate.html)).toContain("Amelia Rose Hartley");
    const none = await dm.post("/register", { q: "nobody" });
    expect(textOf(none.html)).toContain("No children on your authorities' registers match that search");
    // Another authority's child is not found by a manager of this one.
    expect(textOf((await dm.post("/register", { q: "olive" })).html)).not.toContain("Olive Elsewhere");
  });

  it("refuses an impossible date of birth with the error on the field, and searches nothing", async () => {
    const before = (await auditRows("child.search")).length;
    const res = await dm.post("/register", { q: "amelia", "dateOfBirth-day": "31", "dateOfBirth-month": "2", "dateOfBirth-year": "2016" });
    expect(res.status).toBe(422);
    const text = textOf(res.html);
    expect(text).toContain("There is a problem");
    expect(text).toContain("Date of birth must be a real date");
    expect(res.html).toContain('href="#dateOfBirth"');
    expect(res.html).toContain("<title>Error: ");
    expect(text).not.toContain("Amelia Rose Hartley");
    expect((await dm.post("/register", { q: "", "dateOfBirth-month": "4" })).status).toBe(422);
    const empty = await dm.post("/register", { q: "" });
    expect(empty.status).toBe(422);
    expect(textOf(empty.html)).toContain("Enter a name or a date of birth");
    expect((await auditRows("child.search")).length).toBe(before);
  });

  it("shows the whole record with the plan's category history, and the read is in the audit log", async () => {
    const res = await dm.get(`/register/children/${child.id}`);
    expect(res.status).toBe(200);
    const text = textOf(res.html);
    for (const want of [
      "Amelia Rose Hartley",
      "9 April 2016",
      "12 High Street",
      "Present address",
      "Mother's partner is subject to a non-molestation order.",
      "Sam Patel",
      "Child protection",
      "20 May 2026",
      "Category history",
      "Neglect",
      "Emotional abuse",
      "1 June 2026",
      "1 September 2026",
      "Current",
    ])
      expect(text).toContain(want);
    expect(/<title>([^<]*)<\/title>/.exec(res.html)![1]).not.toMatch(/Amelia|Hartley/);

    const reads = await t.call("GET", `/v1/audit?childId=${child.id}&limit=100`, { token: s.tokens.auditor });
    expect(reads.status).toBe(200);
    expect(reads.body.items).toContainEqual(
      expect.objectContaining({ action: "child.read", userId: "dm-web-DMW", target: { type: "child", id: child.id }, outcome: "ok" }),
    );
  });

  it("another authority's child is a 404 page, and the attempt is audited", async () => {
    // A child of its own: another test's refused attempts on otherChildId are audited against it too.
    const elsewhere = (await createChild(t, otherDm, "OTH", { givenNames: "Olive", familyName: "Elsewhere" })).id;
    const res = await dm.get(`/register/children/${elsewhere}`);
    expect(res.status).toBe(404);
    expect(textOf(res.html)).toContain("Page not found");
    expect(res.html).not.toContain("Elsewhere");
    const refused = (
      await t.client.execute({
        sql: "SELECT outcome FROM audit_log WHERE user_id = ? AND target_id = ?",
        args: ["dm-web-DMW", elsewhere],
      })
    ).rows;
    expect(refused.map((r) => r.outcome)).toEqual(["refused_404"]);
  });

  it("is the designated manager's desk only", async () => {
    const enquirer = await signInDev(t, { userId: "enq-web", roles: ["enquirer"], profession: "police_sergeant", agency: "DMW Police" });
    expect((await enquirer.get("/register")).status).toBe(403);
    expect((await enquirer.get(`/register/children/${child.id}`)).status).toBe(403);
    expect((await enquirer.get("/stats")).status).toBe(403);
    const signedOut = await t.app.request("/considerations", { headers: { accept: "text/html" } });
    expect(signedOut.status).toBe(303);
    expect(signedOut.headers.get("location")).toBe("/");
  });
});

describe("child-in-need considerations", () => {
  /**
   * An authority of its own with one open consideration (two enquiries about Kai, not known), and
   * its manager on the desk: one test decides its consideration, and the list says when none is open.
   */
  async function openConsideration(code: string) {
    const s = await setupAuthority(t, code);
    const dm = await signInDev(t, { userId: `dm-web-${code}`, name: "Dana Web", roles: ["designated_manager"], authorities: [code] });
    const kai = { givenNames: "Kai", familyName: "Unknown", dateOfBirth: "2020-02-02" };
    const first = await enquire(t, s.tokens.sergeant, enquiryBody(code, kai, { reason: "Seen in a car at 3am" }));
    const second = await enquire(t, s.tokens.nurse, enquiryBody(code, kai, { callbackNumber: "0113 496 0200", reason: "Burn on arm" }));
    const refs = [first.reference, second.reference];
    const open = (await t.call("GET", "/v1/cin-considerations?status=open", { token: s.tokens.dm })).body.items;
    expect(open).toHaveLength(1);
    const id: string = open[0].id;
    const isOpen = async () =>
      (await t.call("GET", "/v1/cin-considerations?status=open", { token: s.tokens.dm })).body.items.some(
        (c: { id: string }) => c.id === id,
      );
    return { s, dm, id, refs, isOpen };
  }

  it("lists the open consideration with its enquiries and a decision form", async () => {
    const { dm, id, refs } = await openConsideration("CINL");
    const res = await dm.get("/considerations");
    expect(res.status).toBe(200);
    const text = textOf(res.html);
    for (const want of [
      ...refs,
      "Sgt Kim Rowe",
      "Police sergeant or above",
      "CINL Police",
      "Nurse Ada Jones",
      "Kai Unknown",
      "2 February 2020",
      "Seen in a car at 3am",
      "Burn on arm",
    ])
      expect(text).toContain(want);
    expect(res.html).toContain(`action="/considerations/${id}/decide"`);
    expect(res.html).toContain(`id="decision-${id}" name="decision"`);
    expect(res.html).toContain(`id="note-${id}" name="note"`);
    expect(text).toContain("Referred on");
  });

  it("refuses a decision posted without the CSRF token, and nothing changes", async () => {
    const { dm, id, isOpen } = await openConsideration("CINC");
    const before = await tableChecksum(t.client, ["audit_log", "web_sessions"]);
    const res = await dm.post(`/considerations/${id}/decide`, { decision: "referred", note: "Referred to the MASH" }, { csrf: null });
    expect(res.status).toBe(403);
    expect(textOf(res.html)).toContain("This form has expired or did not come from this service");
    expect(await isOpen()).toBe(true);
    expect(await tableChecksum(t.client, ["audit_log", "web_sessions"])).toBe(before);
    expect((await dm.post(`/considerations/${id}/decide`, { decision: "referred", note: "x" }, { csrf: "forged" })).status).toBe(403);
    expect(await isOpen()).toBe(true);
  });

  it("a decision without a choice or a note is shown again with the errors, 422, nothing decided", async () => {
    const { dm, id, isOpen } = await openConsideration("CINE");
    const res = await dm.post(`/considerations/${id}/decide`, { note: "  " });
    expect(res.status).toBe(422);
    const text = textOf(res.html);
    expect(text).toContain("There is a problem");
    expect(text).toContain("Select a decision");
    expect(text).toContain("Enter a note of the decision");
    expect(res.html).toContain(`href="#decision-${id}"`);
    expect(res.html).toContain(`href="#note-${id}"`);
    const kept = await dm.post(`/considerations/${id}/decide`, { decision: "child_in_need", note: "" });
    expect(kept.status).toBe(422);
    expect(kept.html).toMatch(new RegExp(`id="decision-${id}" name="decision" type="radio" value="child_in_need" checked`));
    expect(await isOpen()).toBe(true);
  });

  it("records the decision, goes back to the list with a success banner, and lists it as decided", async () => {
    const { s, dm, id, refs } = await openConsideration("CIND");
    const res = await dm.post(`/considerations/${id}/decide`, { decision: "referred", note: "Referred to the MASH" });
    expect(res.status).toBe(303);
    expect(res.location).toBe("/considerations?decided=1");
    const list = await dm.get(res.location!);
    const text = textOf(list.html);
    expect(text).toContain("Decision recorded");
    expect(text).toContain("There are no open considerations");
    expect(text).toContain("Referred to the MASH");
    expect(text).toContain(refs.join(", "));
    const decided = (await t.call("GET", "/v1/cin-considerations?status=decided", { token: s.tokens.dm })).body.items;
    expect(decided).toContainEqual(expect.objectContaining({ id, decision: "referred", note: "Referred to the MASH" }));
    expect((await auditRows("consideration.decide")).map((r) => r.user_id)).toEqual(["dm-web-CIND"]);

    const again = await dm.post(`/considerations/${id}/decide`, { decision: "child_in_need", note: "Again" });
    expect(again.status).toBe(409);
  });
});

describe("deadlines", () => {
  it("lists receiving-in conferences with overdue and due tags", async () => {
    const moveIn = (moveDate: string, status: string, givenNames: string) =>
      t.call("POST", "/v1/moves-in", {
        token: s.tokens.dm,
        body: {
          authority: "DMW",
          child: {
            givenNames,
            familyName: "Mover",
            dateOfBirth: "2018-07-30",
            addresses: [{ line1: "4 Canal Walk", postcode: "ST16 3AA", from: moveDate }],
          },
          moveDate,
          status,
          originatingAuthority: { name: "Birmingham City Council", custodianPhone: "0121 303 1888" },
          originatingKeyWorker: { name: "Priya Shah", phone: "0121 303 2000" },
          plan: { startDate: "2026-09-01", categories: ["neglect"] },
        },
      });
    const late = await moveIn("2026-10-01", "actual", "Late");
    const soon = await moveIn("2026-11-20", "actual", "Soon");
    expect([late.status, soon.status]).toEqual([201, 201]);
    const res = await dm.get("/deadlines");
    expect(res.status).toBe(200);
    const text = textOf(res.html);
    expect(text).toContain("Overdue");
    expect(text).toMatch(/\bDue\b/);
    expect(text).toContain(`2 to hold, 1 overdue.`);
    expect(res.html.indexOf(late.body.childId)).toBeLessThan(res.html.indexOf(soon.body.childId));
    expect(res.html).toContain(`href="/register/children/${late.body.childId}"`);
    expect(text).not.toContain("Mover");
  });
});

describe("import from the case system", () => {
  const line = (externalId: string, extra: Record<string, unknown> = {}) =>
    JSON.stringify({
      authority: "DMW",
      externalId,
      givenNames: "Imported",
      familyName: "Child",
      dateOfBirth: "2017-01-01",
      aliases: [],
      addresses: [{ line1: "1 Import Row", postcode: "ST16 1AA", from: "2020-01-01" }],
      cases: [],
      plans: [{ startDate: "2026-06-01", categories: ["neglect"] }],
      conferences: [],
      ...extra,
    });

  it("shows the form with the progress script, and imports a file with a summary", async () => {
    const form = await dm.get("/import");
    expect(form.status).toBe(200);
    expect(form.html).toContain('enctype="multipart/form-data"');
    expect(form.html).toContain('name="file"');
    expect(form.html).toContain('src="/assets/app/upload.js"');
    const res = await upload(t, dm, "export.ndjson", `${line("IMP-1")}\n${line("IMP-2", { givenNames: "Second" })}\n`);
    expect(res.status).toBe(200);
    const text = textOf(res.html);
    expect(text).toContain("Import complete");
    expect(text).toMatch(/Lines 2 Children added 2 Children updated 0 Unchanged 0/);
    const again = await upload(t, dm, "export.ndjson", `${line("IMP-1")}\n${line("IMP-2", { givenNames: "Second" })}\n`);
    expect(textOf(again.html)).toMatch(/Lines 2 Children added 0 Children updated 0 Unchanged 2/);
    expect((await auditRows("register.import")).some((r) => r.user_id === "dm-web-DMW")).toBe(true);
  });

  it("shows each bad line's field and message, 422, and writes nothing", async () => {
    const before = await tableChecksum(t.client, ["audit_log", "web_sessions"]);
    const res = await upload(
      t,
      dm,
      "bad.ndjson",
      [line("IMP-3"), line("IMP-4", { dateOfBirth: "2017-02-30" }), "{not json", line("IMP-5", { authority: "OTH" })].join("\n"),
    );
    expect(res.status).toBe(422);
    const text = textOf(res.html);
    expect(text).toContain("Nothing was imported");
    expect(text).toContain("3 lines are not valid: nothing was imported");
    expect(text).toMatch(/Line Field Problem/);
    expect(text).toMatch(/\b2 dateOfBirth is not a real calendar date/);
    expect(text).toMatch(/\b3 \S+/);
    expect(text).toMatch(/\b4 authority /);
    expect(await tableChecksum(t.client, ["audit_log", "web_sessions"])).toBe(before);
  });

  it("refuses an upload without the CSRF token, and one without a file", async () => {
    const before = await tableChecksum(t.client, ["audit_log", "web_sessions"]);
    const forged = await upload(t, dm, "export.ndjson", `${line("IMP-9")}\n`, { csrf: false });
    expect(forged.status).toBe(403);
    expect(await tableChecksum(t.client, ["audit_log", "web_sessions"])).toBe(before);
    const empty = await upload(t, dm, "empty.ndjson", "");
    expect(empty.status).toBe(422);
    expect(textOf(empty.html)).toContain("Select an NDJSON file to import");
  });

  it("refuses a file over 32 MB with a 413 page saying so", async () => {
    // The app-wide body limit (1 MB by default) stops uploads before the page does; raised here so the page's own limit is what answers.
    const big = await createTestApp({ now: "2026-11-23T14:00:00Z", env: { BODY_LIMIT_BYTES: String(64 * 1024 * 1024) } });
    try {
      const bigDm = await big.token({ sub: "dm-BIG", roles: ["designated_manager"], authorities: ["BIG"] });
      await createAuthority(big, bigDm, "BIG");
      const user = await signInDev(big, { userId: "dm-web-BIG", roles: ["designated_manager"], authorities: ["BIG"] });
      const before = await tableChecksum(big.client, ["audit_log", "web_sessions"]);
      const res = await upload(big, user, "huge.ndjson", new Uint8Array(32 * 1024 * 1024 + 1).fill(0x20));
      expect(res.status).toBe(413);
      expect(textOf(res.html)).toContain("The selected file must be smaller than 32 MB");
      const huger = await upload(big, user, "huger.ndjson", new Uint8Array(33 * 1024 * 1024).fill(0x20));
      expect(huger.status).toBe(413);
      expect(textOf(huger.html)).toContain("The selected file must be smaller than 32 MB");
      expect(await tableChecksum(big.client, ["audit_log", "web_sessions"])).toBe(before);
    } finally {
      big.close();
    }
  });
});

describe("the Board's statistics", () => {
  const period = "from=2026-04-01&to=2026-11-23";

  it("opens on the financial year so far, with the figures as tables and a chart drawn from them", async () => {
    const res = await dm.get("/stats");
    expect(res.status).toBe(200);
    const text = textOf(res.html);
    expect(text).toContain("1 April 2026 to 23 November 2026");
    expect(text).toContain("Children on plans by category");
    expect(res.html).toContain('id="stats-by-category"');
    expect(res.html).toContain('data-chart-for="stats-by-category"');
    expect(res.html).toMatch(/<canvas role="img" aria-label="Bar chart of children on plans by category/);
    expect(res.html).toContain('<script src="/assets/vendor/chart.umd.min.js" defer="">');
    expect(res.html).toContain('src="/assets/app/stats-chart.js"');
    // Small counts are suppressed, and the page says what <5 means.
    expect(res.html).toContain("&lt;5");
    expect(text).toContain("means a count from 1 to 4");
    expect(res.html).toContain(`href="/stats.csv?${period.replace("&", "&amp;")}"`);
    expect(res.html).not.toMatch(/style="/);
  });

  it("takes the period from the date boxes, and refuses an impossible one with 422", async () => {
    const res = await dm.get("/stats?from-day=1&from-month=10&from-year=2026&to-day=31&to-month=10&to-year=2026");
    expect(res.status).toBe(200);
    expect(textOf(res.html)).toContain("1 October 2026 to 31 October 2026");
    const bad = await dm.get("/stats?from-day=31&from-month=9&from-year=2026&to-day=1&to-month=10&to-year=2026");
    expect(bad.status).toBe(422);
    expect(textOf(bad.html)).toContain("Start of the period must be a real date");
    const backwards = await dm.get("/stats?from=2026-10-01&to=2026-09-01");
    expect(backwards.status).toBe(422);
    expect(textOf(backwards.html)).toContain("End of the period must be the same as or after the start");
  });

  it("downloads the same CSV, byte for byte, as the API gives for the same period, and audits the reading", async () => {
    const before = (await auditRows("stats.read")).length;
    const page = await t.app.request(`/stats.csv?${period}`, { headers: { cookie: dm.cookie, accept: "text/html" } });
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(page.headers.get("content-disposition")).toBe('attachment; filename="board-statistics-2026-04-01-to-2026-11-23.csv"');
    const api = await t.app.request(`/v1/stats?${period}`, { headers: { authorization: `Bearer ${s.tokens.dm}`, accept: "text/csv" } });
    expect(api.status).toBe(200);
    const [a, b] = [new Uint8Array(await page.arrayBuffer()), new Uint8Array(await api.arrayBuffer())];
    expect(a.length).toBeGreaterThan(100);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    expect(page.headers.get("content-type")).toBe(api.headers.get("content-type"));
    expect(page.headers.get("content-disposition")).toBe(api.headers.get("content-disposition"));
    const reads = await auditRows("stats.read");
    expect(reads.length).toBe(before + 2);
    expect(reads.at(-2)!.user_id).toBe("dm-web-DMW");
    expect((await dm.get("/stats.csv?from=2026-13-01&to=2026-11-23")).status).toBe(422);
  });
});

describe("the record's people on the desk", () => {
  // A refused form writes nothing but the audit entries of the record it shows again.
  const checksum = () => tableChecksum(t.client, ["audit_log", "audit_subjects", "web_sessions"]);

  it("shows the people, adds one through the form (errors named, nothing changed), and removes one", async () => {
    const child = await createChild(t, s.tokens.dm, "DMW", {
      givenNames: "Pip",
      familyName: "Desk",
      people: [{ givenNames: "Mina", familyName: "Desk", dateOfBirth: "1992-02-02", relationship: "mother", livesWithChild: true }],
    });
    const page = await dm.get(`/register/children/${child.id}`);
    expect(textOf(page.html)).toContain("Parents, carers and significant others");
    expect(textOf(page.html)).toMatch(/Mina Desk.*2 February 1992.*Mother.*Yes/s);

    const before = await checksum();
    const bad = await dm.post(`/register/children/${child.id}/people`, {
      "person-givenNames": "Lee",
      "person-familyName": "",
      "person-relationship": "",
      "person-dateOfBirth-day": "31",
      "person-dateOfBirth-month": "2",
      "person-dateOfBirth-year": "1990",
    });
    expect(bad.status).toBe(422);
    const said = textOf(bad.html);
    expect(said).toContain("Enter the person's family name");
    expect(said).toContain("Choose the person's relationship to the child");
    expect(said).toContain("Say whether the person lives with the child");
    expect(said).toMatch(/Date of birth must be a real date/);
    expect(await checksum(), "a refused form changes nothing").toBe(before);

    const added = await dm.post(`/register/children/${child.id}/people`, {
      "person-givenNames": "Lee",
      "person-familyName": "Marsh",
      "person-alias": "Desk",
      "person-relationship": "partner_of_parent",
      "person-livesWithChild": "no",
    });
    expect(added.status).toBe(303);
    const people = async () =>
      (await t.call("GET", `/v1/children/${child.id}`, { token: s.tokens.dm })).body.people as {
        id: string;
        givenNames: string;
        aliases: unknown[];
        livesWithChild: boolean;
      }[];
    expect((await people()).map((p) => [p.givenNames, p.livesWithChild])).toEqual([
      ["Mina", true],
      ["Lee", false],
    ]);
    expect((await people())[1]!.aliases).toEqual([{ givenNames: null, familyName: "Desk" }]);

    const mina = (await people())[0]!;
    expect((await dm.post(`/register/children/${child.id}/people/${mina.id}/remove`, {})).status).toBe(303);
    expect((await people()).map((p) => p.givenNames)).toEqual(["Lee"]);
  });

  it("another authority's child's people cannot be changed from the desk (404)", async () => {
    const res = await dm.post(`/register/children/${otherChildId}/people`, {
      "person-givenNames": "Lee",
      "person-familyName": "Marsh",
      "person-relationship": "carer",
      "person-livesWithChild": "yes",
    });
    expect(res.status).toBe(404);
  });
});
