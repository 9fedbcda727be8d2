import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pinnedFetch } from "../../src/notifications/pinned-fetch";

// DNS rebinding: the check and the connection must use the same answer.
let server: Server;
let port: number;
let received = 0;
beforeAll(async () => {
  server = createServer((req, res) => {
    received++;
    req.resume();
    req.on("end", () => res.writeHead(204).end());
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const post = (f: typeof fetch) =>
  f(`http://hooks.example:${port}/register`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });

describe("the Node dispatcher's webhook POST", () => {
  it("connects to the address its own lookup checked: a name answering 127.0.0.1 is refused and nothing reaches the listener", async () => {
    const before = received;
    await expect(post(pinnedFetch(async () => ["127.0.0.1"], { appEnv: "test" }))).rejects.toThrow(
      /resolves to .*127\.0\.0\.1.*nothing was sent/,
    );
    // Any internal answer among several refuses it, whichever a connection would have taken.
    await expect(post(pinnedFetch(async () => ["93.184.216.34", "127.0.0.1"], { appEnv: "test" }))).rejects.toThrow(/nothing was sent/);
    expect(received).toBe(before);
  });

  it("uses that answer for the connection itself (a made-up name reaches the address it resolved to)", async () => {
    const before = received;
    const res = await post(pinnedFetch(async () => ["127.0.0.1"], { appEnv: "test", testOnlyAllowLoopback: true }));
    expect(res.status).toBe(204);
    expect(received).toBe(before + 1);
  });

  it("a name that answers public for the check and internal for the connection is refused at the connection", async () => {
    const before = received;
    let asked = 0;
    const rebinding = async () => (asked++ === 0 ? ["93.184.216.34"] : ["127.0.0.1"]);
    const f = pinnedFetch(rebinding, { appEnv: "test" });
    expect(await rebinding()).toEqual(["93.184.216.34"]); // what a check before the send would have seen
    await expect(post(f)).rejects.toThrow(/127\.0\.0\.1/);
    expect(received).toBe(before);
  });
});
