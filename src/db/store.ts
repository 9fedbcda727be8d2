import type { Client } from "@libsql/client";
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
  read: Database;
  write<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
}

export function createStore(client: Client, opts: { serialiseWrites: boolean }): Store {
  const db = drizzle(client, { schema });
  let queue: Promise<unknown> = Promise.resolve();
  const write = <T>(fn: (tx: Tx) => Promise<T>): Promise<T> => {
    if (!opts.serialiseWrites) return db.transaction(fn);
    const run = queue.then(() => db.transaction(fn));
    queue = run.catch(() => undefined);
    return run;
  };
  return { client, read: db, write };
}

export const isEmbeddedUrl = (url: string) => url.startsWith("file:") || url === ":memory:";
