/**
 * Statements built once. drizzle's query builder turns a query into SQL text, its parameters
 * and a row mapping on every call, and on the service's hot paths that building was a third of
 * an enquiry's CPU (docs/benchmarks.md, "Where a request's time goes"). A query written here is
 * built once, with `sql.placeholder()` for its values; each call binds the built statement to
 * the database or transaction it runs on and fills the values in. The embedded client then
 * finds the statement's text in its own cache of prepared statements.
 *
 * drizzle's own `.prepare()` binds the statement to the session it was built on, and a
 * transaction is a session of its own; so the built statement is kept as a template and each
 * call runs a copy of it pointed at the caller's connection (drizzle-orm is pinned in
 * package.json; test/db/prepared.test.ts holds this to the builder's results).
 */
import type { InStatement, ResultSet } from "@libsql/client";
import { sql } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import type { Queryable } from "./store";

interface Executor {
  execute(stmt: InStatement): Promise<ResultSet>;
}

/** The libSQL connection a drizzle database or transaction runs its statements on. */
function executorOf(q: Queryable): Executor {
  const session: { client: Executor; tx?: Executor } = Reflect.get(q, "session");
  return session.tx ?? session.client;
}

export function prepared<P extends object>(build: (q: Queryable) => { prepare(): P }): (q: Queryable) => P {
  let template: P | undefined;
  return (q) => {
    template ??= build(q).prepare();
    const bound: P = Object.create(template);
    Object.assign(bound, { client: executorOf(q), tx: undefined });
    return bound;
  };
}

/**
 * A statement of fixed text run as it is, past the query builder: for the few hot statements
 * that drizzle cannot build once (an INSERT … SELECT over json_each). Values go as parameters.
 */
export async function execute(q: Queryable, text: string, args: (string | number | null)[] = []) {
  return (await executorOf(q).execute({ sql: text, args })).rows;
}

/**
 * `column IN (…)` over a list given as one JSON parameter: the text stays the same whatever
 * the list's length, so the statement can be built once. SQLite walks the list as it would a
 * literal IN list (an index on the column is still used: test/query-plans.test.ts).
 */
export const inJson = (column: SQLiteColumn, name: string) => sql`${column} IN (SELECT value FROM json_each(${sql.placeholder(name)}))`;
