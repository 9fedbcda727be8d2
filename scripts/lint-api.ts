/**
 * `npm run lint:api`: the served OpenAPI document, built from the app without a server
 * (scripts/openapi-doc.ts), linted by Spectral with .spectral.yaml (spectral:oas and the OWASP
 * API Security 2023 ruleset, both from node_modules). Fails on any error; warnings are listed
 * and explained in docs/api-additions.md ("The contract's lint").
 *
 *   npm run lint:api [-- spectral options, e.g. -f json -o out.json]
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { servedOpenApi } from "./openapi-doc";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dir = mkdtempSync(join(tmpdir(), "openapi-lint-"));
try {
  const file = join(dir, "openapi.json");
  writeFileSync(file, JSON.stringify(await servedOpenApi(), null, 2));
  const spectral = createRequire(import.meta.url).resolve("@stoplight/spectral-cli/dist/index.js");
  const args = [spectral, "lint", file, "--ruleset", join(root, ".spectral.yaml"), "--fail-severity", "error", ...process.argv.slice(2)];
  const run = spawnSync(process.execPath, args, { stdio: "inherit", cwd: root });
  process.exitCode = run.status ?? 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
