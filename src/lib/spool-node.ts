import { once } from "node:events";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CreateSpool } from "./spool";

/** Spools to a temporary file, removed when the import ends. */
export const fileSpool: CreateSpool = async () => {
  const dir = await mkdtemp(join(tmpdir(), "register-import-"));
  const path = join(dir, "body.ndjson");
  const out = createWriteStream(path, { mode: 0o600 });
  return {
    write: async (chunk) => {
      if (!out.write(chunk)) await once(out, "drain");
    },
    finish: async () => {
      out.end();
      await once(out, "finish");
      return () => createReadStream(path, { highWaterMark: 256 * 1024 }) as AsyncIterable<Uint8Array>;
    },
    dispose: async () => {
      out.destroy();
      await rm(dir, { recursive: true, force: true });
    },
  };
};
