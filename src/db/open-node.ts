import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { type Client, createClient } from "@libsql/client";
import { ConfigError } from "../lib/config";
import { createEmbeddedClient } from "./embedded-client";
import { isEmbeddedUrl } from "./store";

/**
 * Opens the database for Node: an embedded file (the default) or any remote libSQL URL.
 * An embedded file is put in WAL mode and checked for the settings that keep every
 * acknowledged write: synchronous=FULL (fsync at each commit) and foreign keys on.
 */
export async function openNodeClient(url: string, authToken?: string, encryptionKey?: string): Promise<Client> {
  if (isEmbeddedUrl(url)) {
    const path = url.replace(/^file:(\/\/)?/, "");
    if (path && path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  }
  const openError = (err: unknown) => {
    const code = String((err as { code?: string }).code ?? "");
    if (/NOTADB/.test(code))
      return new ConfigError(
        encryptionKey
          ? `The database at ${url} cannot be opened with this DATABASE_ENCRYPTION_KEY: the key is wrong, or the file is not a database.`
          : `The database at ${url} is encrypted (or not a database): set DATABASE_ENCRYPTION_KEY to open it.`,
      );
    return new ConfigError(`DATABASE_URL ${JSON.stringify(url)} cannot be opened: ${(err as Error).message}`);
  };
  let client: Client;
  try {
    // `timeout` waits for another process's write (a CLI import beside the server).
    client = embeddedFile(url)
      ? createEmbeddedClient(embeddedFile(url)!, { encryptionKey, timeout: 5000 })
      : createClient({ url, ...(authToken ? { authToken } : {}), ...(encryptionKey ? { encryptionKey } : {}), timeout: 5000 });
    // Reading the schema is what an encrypted file opened without its key fails on.
    await client.execute("SELECT count(*) FROM sqlite_master");
  } catch (err) {
    throw openError(err);
  }
  if (isEmbeddedUrl(url)) await checkEmbeddedDurability(client);
  return client;
}

async function checkEmbeddedDurability(client: Client) {
  await client.execute("PRAGMA journal_mode = WAL");
  const [journal, sync, fk] = await Promise.all([
    client.execute("PRAGMA journal_mode"),
    client.execute("PRAGMA synchronous"),
    client.execute("PRAGMA foreign_keys"),
  ]);
  const mode = String(journal.rows[0]?.[0] ?? "").toLowerCase();
  // libSQL opens every connection with synchronous=FULL (2) and foreign keys on; pragmas are
  // per connection and the client opens connections on demand, so we check rather than set.
  if (mode !== "wal" && mode !== "memory") throw new Error(`The database is not in WAL mode (${mode}).`);
  if (Number(sync.rows[0]?.[0]) < 2) throw new Error("The database connection is not synchronous=FULL; refusing to run.");
  if (Number(fk.rows[0]?.[0]) !== 1) throw new Error("Foreign keys are off on the database connection; refusing to run.");
}

/** The path of an embedded database file (not `:memory:`, which lives on one connection only). */
function embeddedFile(url: string): string | null {
  if (!url.startsWith("file:") || url.includes("?")) return null;
  const path = url.replace(/^file:(\/\/)?/, "");
  return path && path !== ":memory:" ? path : null;
}
