import type { Client, InStatement } from "@libsql/client";
import type { LibSQLDatabase } from "drizzle-orm/libsql/driver-core";
// The web driver takes any libSQL client (embedded or remote) and imports no native code.
import { drizzle } from "drizzle-orm/libsql/web";
import * as schema from "./schema";

export type Database = LibSQLDatabase<typeof schema>;
export type Tx = Parameters<Parameters<Database["transaction"]>[0]>[0];
/** Anything a query can run on: the database or an open transaction. */
export type Queryable = Database | Tx;

/**
 * The service's only way to the database. Reads go to `read`; every write goes through
 * `write`, one transaction with BEGIN IMMEDIATE.
 *
 * On an embedded file each transaction holds its own connection, and SQLite lets only one
 * writer in at a time; a second writer would block the event loop that the first needs to
 * finish. So on a file, writes are queued here, in process. A remote libSQL server
 * serialises writes itself and needs no queue.
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
}

export function createStore(client: Client, opts: { serialiseWrites: boolean; auditHashKey: string }): Store {
  const db = drizzle(client, { schema });
  let queue: Promise<unknown> = Promise.resolve();
  const write = <T>(fn: (tx: Tx) => Promise<T>): Promise<T> => {
    if (!opts.serialiseWrites) return db.transaction(fn);
    const run = queue.then(() => db.transaction(fn));
    queue = run.catch(() => undefined);
    return run;
  };
  const snapshot = async <T>(fn: (db: Database) => Promise<T>): Promise<T> => {
    const tx = await client.transaction("read");
    try {
      // drizzle's own transactions are always write transactions; a client over this one is not.
      const onTx = { execute: (stmt: InStatement) => tx.execute(stmt), batch: (stmts: InStatement[]) => tx.batch(stmts) } as unknown as Client;
      return await fn(drizzle(onTx, { schema }));
    } finally {
      tx.close();
    }
  };
  return { client, auditHashKey: opts.auditHashKey, read: db, write, snapshot };
}

export const isEmbeddedUrl = (url: string) => url.startsWith("file:") || url === ":memory:";
