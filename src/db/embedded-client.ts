/**
 * The libSQL client for an embedded database file: the same contract as `@libsql/client`'s
 * (it is a `Client`, so drizzle, the migrator and the tests cannot tell the difference),
 * on the same native driver (`libsql`), with one change: each connection keeps its
 * prepared statements.
 *
 * Why: `@libsql/client` prepares every statement afresh and asks the driver for its columns
 * twice, which on this machine costs about 60 µs of a trivial 16 µs lookup; an enquiry sends
 * some twenty statements, all of them the same text each time (drizzle builds them with
 * placeholders). Measured in `docs/benchmarks.md` ("What was slow and what changed").
 *
 * Node only: Workers use `@libsql/client/web` against a remote server.
 */

import {
  type Client,
  type InArgs,
  type InStatement,
  type InValue,
  LibsqlBatchError,
  LibsqlError,
  type ResultSet,
  type Transaction,
  type TransactionMode,
} from "@libsql/core/api";
import { ResultSetImpl, transactionModeToBegin } from "@libsql/core/util";
import Database from "libsql";

type Connection = InstanceType<typeof Database>;
type Prepared = ReturnType<Connection["prepare"]>;
interface Cached {
  stmt: Prepared;
  /** Column names, or null for a statement that returns no rows. */
  columns: string[] | null;
  columnTypes: string[];
}

/** Statements kept per connection; the service sends a few hundred distinct texts. */
const STATEMENT_CACHE_SIZE = 1000;
/** As `@libsql/client`: a transaction holds a connection, every other call borrows one briefly. */
const MAX_CONNECTIONS = 20;

export interface EmbeddedOptions {
  encryptionKey?: string | undefined;
  /** Milliseconds to wait for another process's write lock. */
  timeout?: number | undefined;
}

/** Bumped by any statement that can change the schema: every connection then drops its cached statements. */
let schemaGeneration = 0;
const SCHEMA_CHANGE = /^\s*(create|alter|drop)\b/i;

class Conn {
  readonly db: Connection;
  private readonly cache = new Map<string, Cached>();
  private generation = schemaGeneration;
  constructor(path: string, opts: EmbeddedOptions) {
    this.db = new Database(path, {
      ...(opts.encryptionKey ? { encryptionKey: opts.encryptionKey } : {}),
      ...(opts.timeout ? { timeout: opts.timeout } : {}),
    } as never);
  }

  private prepared(sql: string): Cached {
    if (this.generation !== schemaGeneration) {
      this.cache.clear();
      this.generation = schemaGeneration;
    }
    const hit = this.cache.get(sql);
    if (hit) {
      // Least recently used goes first: re-insert to mark this one as used.
      this.cache.delete(sql);
      this.cache.set(sql, hit);
      return hit;
    }
    const stmt = this.db.prepare(sql);
    stmt.safeIntegers(true);
    let entry: Cached;
    try {
      // raw() throws for a statement that returns no data.
      stmt.raw(true);
      const cols = stmt.columns();
      entry = { stmt, columns: cols.map((c) => c.name), columnTypes: cols.map((c) => c.type ?? "") };
    } catch {
      entry = { stmt, columns: null, columnTypes: [] };
    }
    this.cache.set(sql, entry);
    if (this.cache.size > STATEMENT_CACHE_SIZE) this.cache.delete(this.cache.keys().next().value!);
    return entry;
  }

  private refreshColumns(sql: string): { columns: string[]; columnTypes: string[] } {
    const entry = this.cache.get(sql)!;
    const cols = entry.stmt.columns();
    entry.columns = cols.map((c) => c.name);
    entry.columnTypes = cols.map((c) => c.type ?? "");
    return { columns: entry.columns, columnTypes: entry.columnTypes };
  }

  execute(stmt: InStatement): ResultSet {
    const { sql, args } = typeof stmt === "string" ? { sql: stmt, args: [] as InArgs } : { sql: stmt.sql, args: stmt.args ?? [] };
    try {
      const { stmt: prepared, columns, columnTypes } = this.prepared(sql);
      const bound = toSqlArgs(args);
      if (columns) {
        const raw = prepared.all(bound) as unknown[][];
        // SQLite re-prepares a statement after a schema change; `SELECT *` may then have other columns.
        const cols = raw[0] && raw[0].length !== columns.length ? this.refreshColumns(sql) : { columns, columnTypes };
        const make = rowMaker(cols.columns);
        return new ResultSetImpl(cols.columns, cols.columnTypes, raw.map(make) as never, 0, undefined);
      }
      const info = prepared.run(bound);
      if (SCHEMA_CHANGE.test(sql)) schemaGeneration++;
      return new ResultSetImpl([], [], [], info.changes, BigInt(info.lastInsertRowid));
    } catch (e) {
      throw mapError(e);
    }
  }

  exec(sql: string) {
    try {
      this.db.exec(sql);
      schemaGeneration++;
    } catch (e) {
      throw mapError(e);
    }
  }

  get inTransaction(): boolean {
    return this.db.open && this.db.inTransaction;
  }

  close() {
    try {
      if (this.db.open) this.db.close();
    } catch {
      // nothing useful to do while tearing down
    }
  }
}

export function createEmbeddedClient(path: string, opts: EmbeddedOptions = {}): Client {
  const idle: Conn[] = [];
  const borrowed = new Set<Conn>();
  const waiters: { resolve: (c: Conn) => void; reject: (e: unknown) => void }[] = [];
  let closed = false;
  let heldByTransactions = 0;

  const checkOpen = () => {
    if (closed) throw new LibsqlError("The client is closed", "CLIENT_CLOSED");
  };
  // close() can land between a waiter being handed a connection and its work: a cached
  // statement would still run on a closed connection, so check first.
  const checkUsable = (conn: Conn) => {
    checkOpen();
    if (!conn.db.open) throw new LibsqlError("The connection was closed while this operation was in flight", "CLIENT_CLOSED");
  };
  const acquire = (forTransaction = false): Promise<Conn> => {
    checkOpen();
    if (!idle.length && borrowed.size >= MAX_CONNECTIONS) {
      if (heldByTransactions >= MAX_CONNECTIONS)
        return Promise.reject(new LibsqlError(`All ${MAX_CONNECTIONS} connections are held by open transactions.`, "TRANSACTION_ACTIVE"));
      return new Promise((resolve, reject) =>
        waiters.push({
          resolve: (c) => {
            if (forTransaction) heldByTransactions++;
            resolve(c);
          },
          reject,
        }),
      );
    }
    const conn = idle.pop() ?? new Conn(path, opts);
    borrowed.add(conn);
    if (forTransaction) heldByTransactions++;
    return Promise.resolve(conn);
  };
  const release = (conn: Conn, fromTransaction = false) => {
    borrowed.delete(conn);
    if (fromTransaction) heldByTransactions--;
    // A connection never goes back mid-transaction, or the next borrower would inherit it.
    if (conn.inTransaction) {
      try {
        conn.execute("ROLLBACK");
      } catch {
        conn.close();
        return;
      }
    }
    if (closed || !conn.db.open) return conn.close();
    const waiter = waiters.shift();
    if (waiter) {
      borrowed.add(conn);
      waiter.resolve(conn);
    } else idle.push(conn);
  };
  // Borrowed and returned within the call when a connection is free, so every read outside a
  // transaction lands on the same connection and finds its statements and pages warm. (Awaiting
  // first would let concurrent calls each take a connection of their own.)
  const withConn = <T>(fn: (c: Conn) => T): Promise<T> => {
    try {
      checkOpen();
      if (idle.length || borrowed.size < MAX_CONNECTIONS) {
        const conn = idle.pop() ?? new Conn(path, opts);
        borrowed.add(conn);
        try {
          return Promise.resolve(fn(conn));
        } finally {
          release(conn);
        }
      }
    } catch (e) {
      return Promise.reject(e);
    }
    return acquire().then((conn) => {
      try {
        checkUsable(conn);
        return fn(conn);
      } finally {
        release(conn);
      }
    });
  };
  // Fail fast, as `@libsql/client` does, if the file cannot be opened at all.
  const probe = new Conn(path, opts);
  try {
    probe.execute("SELECT 1");
  } catch (e) {
    probe.close();
    throw e;
  }
  idle.push(probe);

  const client: Client = {
    protocol: "file",
    get closed() {
      return closed;
    },
    async execute(stmtOrSql: InStatement | string, args?: InArgs) {
      const stmt = typeof stmtOrSql === "string" ? { sql: stmtOrSql, args: args ?? [] } : stmtOrSql;
      return withConn((c) => c.execute(stmt));
    },
    async batch(stmts, mode: TransactionMode = "deferred") {
      return withConn((c) => {
        c.execute(transactionModeToBegin(mode));
        const results = inBatch(c, normalise(stmts));
        c.execute("COMMIT");
        return results;
      });
    },
    async migrate(stmts) {
      return withConn((c) => {
        c.execute("PRAGMA foreign_keys=off");
        try {
          c.execute(transactionModeToBegin("deferred"));
          const results = inBatch(c, stmts);
          c.execute("COMMIT");
          return results;
        } finally {
          if (c.inTransaction) c.execute("ROLLBACK");
          c.execute("PRAGMA foreign_keys=on");
        }
      });
    },
    async transaction(mode: TransactionMode = "write") {
      const conn = await acquire(true);
      try {
        checkUsable(conn);
        conn.execute(transactionModeToBegin(mode));
      } catch (e) {
        release(conn, true);
        throw e;
      }
      return transactionOn(conn, () => release(conn, true));
    },
    async executeMultiple(sql: string) {
      return withConn((c) => c.exec(sql));
    },
    async sync() {
      throw new LibsqlError("sync() is for embedded replicas; this is a plain embedded file.", "SYNC_NOT_SUPPORTED");
    },
    async reconnect() {
      client.close();
      closed = false;
    },
    close() {
      closed = true;
      for (const c of idle) c.close();
      idle.length = 0;
      for (const c of borrowed) c.close();
      borrowed.clear();
      heldByTransactions = 0;
      for (const w of waiters.splice(0)) w.reject(new LibsqlError("The client is closed", "CLIENT_CLOSED"));
    },
  } as Client;
  return client;
}

/** Statements run in order on a connection in a transaction; a failure names its position. */
const inBatch = (conn: Conn, stmts: InStatement[]) =>
  stmts.map((s, i) => {
    try {
      if (!conn.inTransaction) throw new LibsqlBatchError("The transaction has been rolled back", i, "TRANSACTION_CLOSED");
      return conn.execute(s);
    } catch (e) {
      if (e instanceof LibsqlBatchError) throw e;
      if (e instanceof LibsqlError)
        throw new LibsqlBatchError(e.message, i, e.code, e.extendedCode, e.rawCode, e.cause instanceof Error ? e.cause : undefined);
      throw e;
    }
  });

const normalise = (stmts: Array<InStatement | [string, InArgs?]>): InStatement[] =>
  stmts.map((s) => (Array.isArray(s) ? { sql: s[0], args: s[1] ?? [] } : s));

function transactionOn(conn: Conn, settle: () => void): Transaction {
  let open = true;
  const done = () => {
    if (!open) return;
    open = false;
    settle();
  };
  const live = () => {
    if (!open || !conn.inTransaction) throw new LibsqlError("The transaction is closed", "TRANSACTION_CLOSED");
    return conn;
  };
  return {
    async execute(stmtOrSql: InStatement | string, args?: InArgs) {
      return live().execute(typeof stmtOrSql === "string" ? { sql: stmtOrSql, args: args ?? [] } : stmtOrSql);
    },
    async batch(stmts: Array<InStatement | [string, InArgs?]>) {
      return inBatch(live(), normalise(stmts));
    },
    async executeMultiple(sql: string) {
      return live().exec(sql);
    },
    async rollback() {
      if (!open) return;
      try {
        if (conn.inTransaction) conn.execute("ROLLBACK");
      } finally {
        done();
      }
    },
    async commit() {
      try {
        live().execute("COMMIT");
      } finally {
        done();
      }
    },
    close() {
      try {
        if (open && conn.inTransaction) conn.execute("ROLLBACK");
      } finally {
        done();
      }
    },
    get closed() {
      return !open || !conn.inTransaction;
    },
  } as Transaction;
}

const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * A row as `@libsql/client` gives it: indexable, with a hidden length, and named columns (the
 * first of two columns of one name wins). One prototype per column list holds the indexes and
 * the length as getters over the row's values, and each row gets its named columns assigned in
 * the same order, so every row of a statement shares one hidden class: `@libsql/client`'s
 * `defineProperty` for every value made each row a dictionary, which was a third of the CPU of
 * a call-back queue page (npm run bench:profile).
 */
const VALUES = Symbol("values");
type Row = Record<string | number | symbol, unknown>;
const rowMakers = new WeakMap<string[], (values: unknown[]) => Row>();

/** `@libsql/client`'s own row, one `defineProperty` a value: for column names the shared prototype would shadow. */
function plainRow(values: unknown[], columns: string[]) {
  const row: Row = {};
  Object.defineProperty(row, "length", { value: values.length });
  for (let i = 0; i < values.length; i++) {
    const value = valueFromSql(values[i]);
    Object.defineProperty(row, i, { value });
    const column = columns[i]!;
    if (!Object.hasOwn(row, column)) Object.defineProperty(row, column, { value, enumerable: true, configurable: true, writable: true });
  }
  return row;
}

// A column named like an index, `length` or `__proto__` (`SELECT 1, 2`) would meet the
// prototype's getters: such rows are built the way @libsql/client builds them.
const clashes = (name: string) => name === "length" || name === "__proto__" || /^(0|[1-9]\d*)$/.test(name);

function rowMaker(columns: string[]): (values: unknown[]) => Row {
  const known = rowMakers.get(columns);
  if (known) return known;
  if (columns.some(clashes)) {
    const plain = (values: unknown[]) => plainRow(values, columns);
    rowMakers.set(columns, plain);
    return plain;
  }
  const named: [string, number][] = [];
  const seen = new Set<string>();
  columns.forEach((c, i) => {
    if (!seen.has(c)) named.push([c, i]);
    seen.add(c);
  });
  const proto: Row = {};
  Object.defineProperty(proto, "length", { get: () => columns.length });
  for (let i = 0; i < columns.length; i++)
    Object.defineProperty(proto, i, {
      get(this: Row) {
        return (this[VALUES] as unknown[])[i];
      },
    });
  const make = (raw: unknown[]) => {
    const values = raw.map(valueFromSql);
    const row: Row = Object.create(proto);
    Object.defineProperty(row, VALUES, { value: values });
    for (const [name, i] of named) row[name] = values[i];
    return row;
  };
  rowMakers.set(columns, make);
  return make;
}

function valueFromSql(v: unknown): unknown {
  if (typeof v === "bigint") {
    if (v < MIN_SAFE || v > MAX_SAFE) throw new RangeError("Received integer which cannot be safely represented as a JavaScript number");
    return Number(v);
  }
  if (v instanceof Buffer) return v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength);
  return v;
}

function toSqlArgs(args: InArgs): unknown[] | Record<string, unknown> {
  if (Array.isArray(args)) return args.map(valueToSql);
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(args)) out[/^[@$:]/.test(name) ? name.slice(1) : name] = valueToSql(value);
  return out;
}

function valueToSql(value: InValue | Date | undefined): unknown {
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new RangeError("Only finite numbers (not Infinity or NaN) can be passed as arguments");
    return value;
  }
  if (typeof value === "boolean") return value ? 1 : 0;
  if (value instanceof ArrayBuffer) return Buffer.from(value);
  if (value instanceof Date) return value.valueOf();
  if (value === undefined) throw new TypeError("undefined cannot be passed as argument to the database");
  return value;
}

function mapError(e: unknown): unknown {
  if (e instanceof Database.SqliteError) {
    const raw = (e as { rawCode?: number }).rawCode;
    const base = raw === undefined ? "SQLITE_UNKNOWN" : (SQLITE_CODES[raw & 0xff] ?? `SQLITE_UNKNOWN_${raw & 0xff}`);
    return new LibsqlError(e.message, base, (e as { code: string }).code, raw, e);
  }
  return e;
}

const SQLITE_CODES: Record<number, string> = {
  1: "SQLITE_ERROR",
  2: "SQLITE_INTERNAL",
  3: "SQLITE_PERM",
  4: "SQLITE_ABORT",
  5: "SQLITE_BUSY",
  6: "SQLITE_LOCKED",
  7: "SQLITE_NOMEM",
  8: "SQLITE_READONLY",
  9: "SQLITE_INTERRUPT",
  10: "SQLITE_IOERR",
  11: "SQLITE_CORRUPT",
  12: "SQLITE_NOTFOUND",
  13: "SQLITE_FULL",
  14: "SQLITE_CANTOPEN",
  15: "SQLITE_PROTOCOL",
  16: "SQLITE_EMPTY",
  17: "SQLITE_SCHEMA",
  18: "SQLITE_TOOBIG",
  19: "SQLITE_CONSTRAINT",
  20: "SQLITE_MISMATCH",
  21: "SQLITE_MISUSE",
  22: "SQLITE_NOLFS",
  23: "SQLITE_AUTH",
  24: "SQLITE_FORMAT",
  25: "SQLITE_RANGE",
  26: "SQLITE_NOTADB",
  27: "SQLITE_NOTICE",
  28: "SQLITE_WARNING",
};
