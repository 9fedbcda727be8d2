import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { run, startNodeServer } from "./support/server";

const dir = mkdtempSync(join(tmpdir(), "register-enc-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const SECRET = "enc-secret-0123456789abcdef0123456789abcdef";
const KEY = "a-long-encryption-key-for-tests-0123";

describe("encryption at rest (DATABASE_ENCRYPTION_KEY)", () => {
  // Four Node processes started one after another (each loading the app through tsx): about 25 s
  // on a busy two-core machine, so more than the suite's 30 s default allows.
  it("keeps no child's name in clear in the file, reopens with the key, and refuses clearly without it", { timeout: 120_000 }, async () => {
    const path = join(dir, "enc.db");
    const env = { DATABASE_URL: `file:${path}`, AUTH_JWT_SECRET: SECRET, DATABASE_ENCRYPTION_KEY: KEY };
    const server = await startNodeServer(env);
    const token = (
      await run(process.execPath, ["--import", "tsx", "scripts/token.ts", "--role", "designated_manager", "--authority", "ENC"], {
        ...env,
        APP_ENV: "test",
      })
    ).stdout.trim();
    const post = (p: string, body: unknown) =>
      fetch(`${server.url}${p}`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    expect((await post("/v1/authorities", { code: "ENC", name: "Encrypted County", firstResponsePhone: "0121 496 0000" })).status).toBe(
      201,
    );
    const child = await post("/v1/children", {
      authority: "ENC",
      givenNames: "Zebediah",
      familyName: "Quillfeather",
      dateOfBirth: "2015-01-01",
    });
    expect(child.status).toBe(201);
    const { id } = (await child.json()) as { id: string };
    expect(await server.stop()).toBe(0);

    for (const f of [path, `${path}-wal`]) if (existsSync(f)) expect(readFileSync(f).includes(Buffer.from("Quillfeather")), f).toBe(false);

    const again = await startNodeServer(env);
    const read = await fetch(`${again.url}/v1/children/${id}`, { headers: { authorization: `Bearer ${token}` } });
    expect(((await read.json()) as { familyName: string }).familyName).toBe("Quillfeather");
    await again.stop();

    const without = await run(process.execPath, ["--import", "tsx", "src/node.ts"], {
      ...env,
      DATABASE_ENCRYPTION_KEY: "",
      PORT: "18999",
      APP_ENV: "test",
    });
    expect(without.code).toBe(1);
    expect(without.stderr).toMatch(/encrypted \(or not a database\): set DATABASE_ENCRYPTION_KEY/);
    const wrong = await run(process.execPath, ["--import", "tsx", "src/node.ts"], {
      ...env,
      DATABASE_ENCRYPTION_KEY: "the-wrong-key-entirely-0123456789",
      PORT: "18999",
      APP_ENV: "test",
    });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/cannot be opened with this DATABASE_ENCRYPTION_KEY/);
    expect(wrong.stderr).not.toContain("the-wrong-key");
  });
});
