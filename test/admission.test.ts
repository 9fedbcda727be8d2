import type { Client } from "@libsql/client";
import { afterEach, describe, expect, it } from "vitest";
import { createTestApp, type TestApp, tableCounts } from "./support/app";
import { childBody, createAuthority, staffTokens } from "./support/fixtures";

let t: TestApp;
afterEach(() => t?.close());

/** A client whose calls wait while the gate is shut: requests in flight stay in flight. */
function gated() {
  let open: Promise<void> = Promise.resolve();
  let release = () => {};
  const wrap = (client: Client): Client =>
    new Proxy(client, {
      get(target, prop, receiver) {
        const v = Reflect.get(target, prop, receiver);
        if (typeof v !== "function" || !["execute", "batch", "transaction"].includes(String(prop)))
          return typeof v === "function" ? v.bind(target) : v;
        return async (...args: unknown[]) => {
          await open;
          return (v as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
  return {
    wrap,
    shut: () => (open = new Promise<void>((r) => (release = r))),
    open: () => release(),
  };
}

/** Resolves once the event loop has had time to run every request already started up to its gate. */
const settle = () => new Promise((r) => setTimeout(r, 50));

describe("admission control", () => {
  it("answers 503 problem+json with Retry-After once every place is taken, and changes nothing", async () => {
    const gate = gated();
    t = await createTestApp({ wrapClient: gate.wrap, env: { MAX_IN_FLIGHT: "2", MAX_QUEUED: "0" } });
    const { dm } = await staffTokens(t, "ADM");
    await createAuthority(t, dm, "ADM");
    const before = await tableCounts(t.client, []);

    gate.shut();
    // Two requests take both places and wait on the database.
    const held = [t.call("GET", "/v1/authorities", { token: dm }), t.call("GET", "/v1/authorities", { token: dm })];
    await settle();
    const refused = await t.call("POST", "/v1/children", { token: dm, body: childBody("ADM") });
    expect(refused.status).toBe(503);
    expect(refused.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(refused.headers.get("retry-after")).toBe("1");
    expect(refused.body).toMatchObject({ status: 503, title: "Service unavailable" });
    expect(refused.body.detail).toMatch(/try again/i);
    // Health checks are never refused, so a load balancer does not take a busy server out.
    expect((await t.call("GET", "/healthz")).status).toBe(200);

    gate.open();
    expect((await Promise.all(held)).map((r) => r.status)).toEqual([200, 200]);
    // Nothing was written for the refused request, not even an audit row.
    expect(await tableCounts(t.client, [])).toEqual(before);
    // With the places free again the same request goes through.
    expect((await t.call("POST", "/v1/children", { token: dm, body: childBody("ADM") })).status).toBe(201);
  });

  it("lets a request wait for a place, but not longer than the bound", async () => {
    const gate = gated();
    t = await createTestApp({ wrapClient: gate.wrap, env: { MAX_IN_FLIGHT: "1", MAX_QUEUED: "1", MAX_QUEUE_WAIT_MS: "200" } });
    const { dm } = await staffTokens(t, "ADW");
    await createAuthority(t, dm, "ADW");

    // One in flight, one waiting that gets the place when the first finishes.
    gate.shut();
    const first = t.call("GET", "/v1/authorities", { token: dm });
    await settle();
    const second = t.call("GET", "/v1/authorities", { token: dm });
    await settle();
    // The waiting line is full: a third is refused at once.
    const third = await t.call("GET", "/v1/authorities", { token: dm });
    expect(third.status).toBe(503);
    gate.open();
    expect((await first).status).toBe(200);
    expect((await second).status).toBe(200);

    // A waiter whose place does not come within the bound is refused when the bound passes.
    gate.shut();
    const slow = t.call("GET", "/v1/authorities", { token: dm });
    await settle();
    const started = Date.now();
    const waited = await t.call("GET", "/v1/authorities", { token: dm });
    expect(waited.status).toBe(503);
    expect(waited.headers.get("retry-after")).toBe("1");
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    gate.open();
    expect((await slow).status).toBe(200);
    // The timed-out waiter gave its place back: the next request is served.
    expect((await t.call("GET", "/v1/authorities", { token: dm })).status).toBe(200);
  });

  it("refuses a newcomer within milliseconds once no place has come free for a while, even after waiters gave up", async () => {
    const gate = gated();
    t = await createTestApp({ wrapClient: gate.wrap, env: { MAX_IN_FLIGHT: "1", MAX_QUEUED: "10", MAX_QUEUE_WAIT_MS: "5000" } });
    const { dm } = await staffTokens(t, "ADO");
    await createAuthority(t, dm, "ADO");
    gate.shut();
    const first = t.call("GET", "/v1/authorities", { token: dm });
    await settle();
    // A burst: the first waiter may wait the whole bound.
    const second = t.call("GET", "/v1/authorities", { token: dm });
    // No place has come free for longer than a burst lasts: that is overload.
    await new Promise((r) => setTimeout(r, 150));
    let started = Date.now();
    const late = await t.call("GET", "/v1/authorities", { token: dm });
    expect(late.status).toBe(503);
    expect(Date.now() - started).toBeLessThan(1000);
    // The line is empty again only because that waiter gave up: still overload, still refused fast.
    started = Date.now();
    expect((await t.call("GET", "/v1/authorities", { token: dm })).status).toBe(503);
    expect(Date.now() - started).toBeLessThan(1000);
    gate.open();
    expect((await first).status).toBe(200);
    expect((await second).status).toBe(200);
    // Once the service keeps up again, a newcomer may wait the whole bound again.
    gate.shut();
    const third = t.call("GET", "/v1/authorities", { token: dm });
    await settle();
    const fourth = t.call("GET", "/v1/authorities", { token: dm });
    await new Promise((r) => setTimeout(r, 30));
    gate.open();
    expect((await third).status).toBe(200);
    expect((await fourth).status).toBe(200);
  });

  it("gives no place to a request whose body is still arriving: stalled uploads do not lock others out", async () => {
    // Found by an outside attack: MAX_IN_FLIGHT clients sending half a body and stalling took every place.
    t = await createTestApp();
    const { dm } = await staffTokens(t, "SLW");
    await createAuthority(t, dm, "SLW");
    const enc = new TextEncoder();
    const streams: ReadableStreamDefaultController<Uint8Array>[] = [];
    const stalled = () =>
      t.app.request("/v1/children", {
        method: "POST",
        // Declared in full, as a real client's body is, and then sent only in part.
        headers: { authorization: `Bearer ${dm}`, "content-type": "application/json", "content-length": "200" },
        body: new ReadableStream<Uint8Array>({
          start: (c) => {
            c.enqueue(enc.encode('{"authority":"SLW",'));
            streams.push(c);
          },
        }),
        // @ts-expect-error Node's fetch needs duplex for a stream body
        duplex: "half",
      });
    const held = Array.from({ length: t.config.admission.maxInFlight + 2 }, stalled);
    await new Promise((r) => setTimeout(r, 150));
    const other = await t.call("GET", "/v1/authorities", { token: dm });
    expect(other.status).toBe(200);
    // The stalled ones, once their bodies end (malformed here), are answered and change nothing.
    for (const c of streams) c.close();
    expect((await Promise.all(held)).map((r) => r.status).every((s) => s === 400)).toBe(true);
  });

  it("is on by default with bounds that a deployment can set", async () => {
    t = await createTestApp();
    expect(t.config.admission).toEqual({ maxInFlight: 16, maxQueued: 1000, maxWaitMs: 1000 });
  });
});
