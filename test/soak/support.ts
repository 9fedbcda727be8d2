import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { signDevToken } from "../../src/auth/dev-token";
import { parseConfig } from "../../src/lib/config";
import type { Role } from "../../src/lib/principal";
import type { Caller } from "../support/app";
import { planChild, setupAuthority } from "../support/enquiry";

/**
 * Helpers for the soak suites: a server process on a libSQL file of a fresh temporary
 * directory, tokens signed for that server's configuration, and a small HTTP client.
 * Everything goes over real HTTP to `src/node.ts` started by test/support/server.ts.
 */

export const SOAK_SECRET = "soak-secret-0123456789abcdef0123456789abcdef";

export interface SoakDb {
  dir: string;
  dbPath: string;
  env: Record<string, string>;
  token(claims: {
    sub: string;
    name?: string;
    roles: Role[];
    profession?: string;
    agency?: string;
    authorities?: string[];
  }): Promise<string>;
  remove(): void;
}

/** A fresh temporary directory, the server's environment for a database file in it, and a token signer for that environment. */
export function soakDb(prefix: string, extraEnv: Record<string, string> = {}): SoakDb {
  const dir = mkdtempSync(join(tmpdir(), `register-soak-${prefix}-`));
  const dbPath = join(dir, "register.db");
  const env = {
    APP_ENV: "test",
    DATABASE_URL: `file:${dbPath}`,
    AUTH_JWT_SECRET: SOAK_SECRET,
    AUTH_ISSUER: "register-soak",
    AUTH_AUDIENCE: "register-api",
    ENQUIRY_LIMIT: "100000",
    // The soak is about durability under load, not the request-rate limits.
    API_RATE_LIMIT: "1000000",
    ...extraEnv,
  };
  const config = parseConfig(env);
  return {
    dir,
    dbPath,
    env,
    token: (claims) => signDevToken(config.auth, { name: claims.sub, ...claims }, { expiresIn: "2h" }),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export interface Res {
  status: number;
  // Tests read the shapes they assert on.
  body: any;
}

export interface Api {
  url: string;
  call(method: string, path: string, opts?: { token?: string; body?: unknown; timeoutMs?: number }): Promise<Res>;
  /** A call that must answer `status`; anything else throws with the body. */
  must(status: number, method: string, path: string, opts?: { token?: string; body?: unknown }): Promise<any>;
  /** Every item of a list, following `next`. */
  all(path: string, token: string): Promise<any[]>;
}

export function api(url: string): Api {
  const call: Api["call"] = async (method, path, o = {}) => {
    const headers: Record<string, string> = {};
    if (o.token) headers.authorization = `Bearer ${o.token}`;
    let body: string | undefined;
    if (o.body !== undefined) {
      body = JSON.stringify(o.body);
      headers["content-type"] = "application/json";
    }
    const res = await fetch(`${url}${path}`, { method, headers, body, signal: AbortSignal.timeout(o.timeoutMs ?? 60_000) });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      /* left as text */
    }
    return { status: res.status, body: parsed };
  };
  const must: Api["must"] = async (status, method, path, o) => {
    const res = await call(method, path, o);
    if (res.status !== status) throw new Error(`${method} ${path}: expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const all: Api["all"] = async (path, token) => {
    const items: any[] = [];
    let next: string | null = `${path}${path.includes("?") ? "&" : "?"}limit=1000`;
    while (next) {
      const body = await must(200, "GET", next, { token });
      items.push(...body.items);
      next = body.next;
    }
    return items;
  };
  return { url, call, must, all };
}

/** The people of one authority, as tokens for the soak server's configuration. */
export async function authorityTokens(db: SoakDb, code: string) {
  return {
    dm: await db.token({ sub: `dm-${code}`, name: "Dee Manager", roles: ["designated_manager"], authorities: [code] }),
    edt: await db.token({ sub: `edt-${code}`, name: "Eddie Duty", roles: ["duty_officer"], authorities: [code] }),
    sam: await db.token({ sub: `kw-sam-${code}`, name: "Sam Patel", roles: ["key_worker"], authorities: [code] }),
    auditor: await db.token({ sub: `aud-${code}`, name: "Audrey Auditor", roles: ["auditor"], authorities: [code] }),
  };
}
export type AuthorityTokens = Awaited<ReturnType<typeof authorityTokens>>;

/** Agencies whose recognised numbers the enquirers' call-back numbers are. */
export const agenciesOf = (code: string) => [
  {
    name: `${code} Police`,
    number: "0121 496 0100",
    professions: ["police_sergeant", "police_caiu_officer", "police_domestic_violence_officer"],
  },
  {
    name: `${code} Hospital`,
    number: "0113 496 0200",
    professions: ["registered_nurse", "registered_medical_practitioner", "midwife", "health_visitor"],
  },
  { name: `${code} Academy`, number: "020 7946 0300", professions: ["head_teacher", "designated_teacher", "education_welfare_officer"] },
];

/** The shared fixtures' caller, over real HTTP to the soak server and signing for its configuration. */
export const callerOf = (a: Api, db: SoakDb): Caller => ({
  call: (method, path, o = {}) => a.call(method, path, { token: o.token ?? undefined, body: o.body }),
  token: (claims) => db.token({ ...claims, sub: claims.sub ?? `user-${claims.roles[0]}` }),
});

/**
 * Over HTTP, as the designated manager would: the authority, key worker Sam Patel (with a
 * login) and the agencies of `agenciesOf`, from the shared fixtures (setupAuthority); with
 * `planChild`, Amelia Rose Hartley on a plan for neglect with an open case held by Sam.
 */
export async function seedAuthority(a: Api, db: SoakDb, code: string, opts: { planChild?: boolean } = {}) {
  const caller = callerOf(a, db);
  const s = await setupAuthority(caller, code);
  const child = opts.planChild ? ((await planChild(caller, s)) as { id: string }) : null;
  return { sam: s.sam as { id: string }, child };
}

export const refNo = (reference: string) => {
  const m = /^ENQ-(\d{6,})$/.exec(reference);
  if (!m) throw new Error(`not an enquiry reference: ${reference}`);
  return Number(m[1]);
};

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
