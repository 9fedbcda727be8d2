import type { Client, InArgs, InStatement, ResultSet, Transaction } from "@libsql/client";
import { LibsqlError } from "@libsql/core/api";
import type { LibSQLDatabase } from "drizzle-orm/libsql/driver-core";
// The web driver takes any libSQL client (embedded or remote) and imports no native code.
import { drizzle } from "drizzle-orm/libsql/web";
import type { BaseSQLiteDatabase } from "drizzle-orm/sqlite-core";

/**
 * Without drizzle's relational schema: the service writes its queries with the query builder
 * only, and handing drizzle the schema made every snapshot rebuild the relations (2 % of an
 * enquiry's CPU, npm run bench:profile).
 */
export type Database = LibSQLDatabase;
/** What a write runs its statements on: a transaction, or (grouped) its own savepoint of one. */
export type Tx = BaseSQLiteDatabase<"async", ResultSet>;
/** Anything a query can run on: the database or an open transaction. */
export type Queryable = Database | Tx;

/** How group commit has gone: the bench reports it, and the tests check it happens. */
export interface WriteStats {
  /** Transactions committed (or failed) holding one or more writes. */
  batches: number;
  /** Writes those transactions carried. */
  writes: number;
  largest: number;
  /** How many batches held 1, 2-4, 5-16, 17-64, more. */
  sizes: Record<"1" | "2-4" | "5-16" | "17-64" | "65+", number>;
  /** Batches whose transaction failed as a whole, and whose writes then ran one by one. */
  retriedAlone: number;
}

/**
 * The service's only way to the database. Reads go to `read`; every write goes through
 * `write`, a transaction with BEGIN IMMEDIATE.
 *
 * On an embedded file SQLite lets one writer in at a time, and the driver is synchronous: a
 * second writer would block the event loop the first needs to finish. So on a file, writes
 * are queued here, in process, and committed in groups: the writes that arrive while one
 * transaction is running join the next, one `BEGIN IMMEDIATE … COMMIT` (one fsync) for all
 * of them, each in its own SAVEPOINT so that a write that fails rolls back only its own work.
 * Each caller is answered only after the COMMIT that holds its write, so nothing
 * acknowledged can be lost; the writes run one after another in arrival order, so the audit
 * chain stays one chain. A remote libSQL server serialises writes itself and needs no queue.
 *
 * A write's function may therefore run twice (its group failed to commit, then alone): it must
 * start from its arguments each time and change nothing outside the transaction until it has
 * returned.
 */
export interface Store {
  client: Client;
  /** Keys the audit log's row hashes (AUDIT_HASH_KEY): whoever writes the log writes through here. */
  auditHashKey: string;
  read: Database;
  write<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /**
   * Several reads that must agree with each other (a child's record, the match it came
   * from): one read-only transaction, so a write committing between them cannot give a mix
   * of before and after. It takes no write lock.
   */
  snapshot<T>(fn: (db: Database) => Promise<T>): Promise<T>;
  writeStats(): WriteStats;
}

interface Job {
  fn: (tx: Tx) => Promise<unknown>;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

/** Writes one transaction carries at most: a bound on how long the first of them waits for the COMMIT. */
export const MAX_GROUP = 64;

/**
 * Errors after which SQLite may have rolled back the whole transaction (disk full, I/O, out of
 * memory, interrupted, busy) rather than one statement. The group stops there: run on, the next
 * write's SAVEPOINT would open a transaction of its own and commit before its neighbours.
 */
const TRANSACTION_FATAL = /^SQLITE_(FULL|IOERR|NOMEM|INTERRUPT|BUSY|LOCKED|CORRUPT|NOTADB|CANTOPEN|PROTOCOL|READONLY)/;
export function endsTransaction(e: unknown): boolean {
  for (let cur = e, depth = 0; cur && typeof cur === "object" && depth < 5; cur = (cur as { cause?: unknown }).cause, depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === "string" && TRANSACTION_FATAL.test(code)) return true;
  }
  return false;
}

/**
 * A client whose every statement runs in `tx`, for drizzle to build on: a snapshot's read
 * transaction, or one grouped write's share of the group's transaction (refused once `open`
 * says the write has ended).
 */
function clientOver(tx: Transaction, open: () => boolean = () => true): Client {
  const closed = () => Promise.reject(new LibsqlError("This write has ended: its statement was not run.", "TRANSACTION_CLOSED"));
  // Only what drizzle asks of a client is served; the rest would step outside the transaction.
  const outside = (what: string) => () =>
    Promise.reject(new LibsqlError(`${what} cannot be used inside a transaction.`, "TRANSACTION_SCOPED"));
  const asStatement = (s: InStatement | [string, InArgs?]): InStatement => (Array.isArray(s) ? { sql: s[0], args: s[1] ?? [] } : s);
  return {
    execute: (stmt: InStatement | string, args?: InArgs) =>
      open() ? tx.execute(typeof stmt === "string" ? { sql: stmt, args: args ?? [] } : stmt) : closed(),
    batch: (stmts: Array<InStatement | [string, InArgs?]>) => (open() ? tx.batch(stmts.map(asStatement)) : closed()),
    migrate: outside("migrate"),
    transaction: outside("transaction"),
    executeMultiple: outside("executeMultiple"),
    sync: outside("sync"),
    close: () => {},
    reconnect: () => {},
    get closed() {
      return !open();
    },
    protocol: "transaction",
  };
}

const bucket = (n: number): keyof WriteStats["sizes"] => (n === 1 ? "1" : n <= 4 ? "2-4" : n <= 16 ? "5-16" : n <= 64 ? "17-64" : "65+");

export function createStore(client: Client, opts: { serialiseWrites: boolean; auditHashKey: string }): Store {
  const db = drizzle(client);
  const stats: WriteStats = {
    batches: 0,
    writes: 0,
    largest: 0,
    sizes: { "1": 0, "2-4": 0, "5-16": 0, "17-64": 0, "65+": 0 },
    retriedAlone: 0,
  };
  const pending: Job[] = [];
  let draining = false;

  /**
   * One transaction for a group of writes. Each write's outcome is settled only after the
   * COMMIT. If the transaction itself fails (the COMMIT, or an error that SQLite answers by
   * rolling back the whole transaction), no write of the group is acknowledged: each is run
   * again alone, so one write's disaster does not become its neighbours' error.
   */
  async function runGroup(jobs: Job[]): Promise<void> {
    stats.batches++;
    stats.writes += jobs.length;
    stats.largest = Math.max(stats.largest, jobs.length);
    stats.sizes[bucket(jobs.length)]++;
    const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    let failed: unknown = null;
    const tx = await client.transaction("write").catch((e: unknown) => {
      failed = e;
      return null;
    });
    if (tx) {
      try {
        for (const [i, job] of jobs.entries()) {
          // Each write gets a connection of its own in name: its statements run in the group's
          // transaction until the write has settled, and are refused after, so a statement it
          // left running cannot land after its rollback and commit with a neighbour.
          let open = true;
          await tx.execute(`SAVEPOINT w${i}`);
          try {
            const value = await job.fn(drizzle(clientOver(tx, () => open)));
            open = false;
            await tx.execute(`RELEASE w${i}`);
            outcomes.push({ ok: true, value });
          } catch (error) {
            open = false;
            if (jobs.length > 1 && endsTransaction(error)) throw error;
            try {
              await tx.execute(`ROLLBACK TO w${i}`);
              await tx.execute(`RELEASE w${i}`);
            } catch {
              // The transaction is gone with the write's own error: that error is the answer.
              throw error;
            }
            outcomes.push({ ok: false, error });
          }
        }
        await tx.commit();
      } catch (error) {
        failed = error;
      } finally {
        tx.close();
      }
    }
    if (failed !== null) {
      if (jobs.length === 1) return void (outcomes[0] && !outcomes[0].ok ? jobs[0]!.reject(outcomes[0].error) : jobs[0]!.reject(failed));
      stats.retriedAlone++;
      for (const job of jobs) await runGroup([job]);
      return;
    }
    jobs.forEach((job, i) => {
      const o = outcomes[i]!;
      if (o.ok) job.resolve(o.value);
      else job.reject(o.error);
    });
  }

  async function drain() {
    try {
      while (pending.length) await runGroup(pending.splice(0, MAX_GROUP));
    } finally {
      draining = false;
    }
  }

  const write = <T>(fn: (tx: Tx) => Promise<T>): Promise<T> => {
    if (!opts.serialiseWrites) return db.transaction(fn);
    return new Promise<T>((resolve, reject) => {
      pending.push({ fn, resolve: resolve as (v: unknown) => void, reject });
      if (draining) return;
      draining = true;
      // Started after the I/O already waiting has been read, so that requests arriving together commit together.
      setImmediate(() => void drain());
    });
  };
  const snapshot = async <T>(fn: (db: Database) => Promise<T>): Promise<T> => {
    const tx = await client.transaction("read");
    try {
      // drizzle's own transactions are always write transactions; a client over this one is not.
      return await fn(drizzle(clientOver(tx)));
    } finally {
      tx.close();
    }
  };
  return { client, auditHashKey: opts.auditHashKey, read: db, write, snapshot, writeStats: () => structuredClone(stats) };
}

export const isEmbeddedUrl = (url: string) => url.startsWith("file:") || url === ":memory:";
