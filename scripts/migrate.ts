/** Applies the committed migrations to DATABASE_URL (embedded file or remote libSQL). */

import { migrateDatabase } from "../src/db/migrate";
import { openNodeClient } from "../src/db/open-node";
import { ConfigError, parseDatabaseConfig } from "../src/lib/config";

try {
  const config = parseDatabaseConfig(process.env);
  const client = await openNodeClient(config.databaseUrl, config.databaseAuthToken, config.databaseEncryptionKey);
  await migrateDatabase(client);
  const { rows } = await client.execute("SELECT count(*) AS n FROM __drizzle_migrations");
  console.log(`Migrations applied to ${config.databaseUrl.replace(/\?.*$/, "")} (${rows[0]?.n} in all).`);
  client.close();
} catch (err) {
  console.error(err instanceof ConfigError ? err.message : `Migration failed: ${(err as Error).message}`);
  process.exit(1);
}
