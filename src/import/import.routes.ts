import { createRoute, z } from "@hono/zod-openapi";
import { ctxOf, requireRole } from "../auth/middleware";
import { AppError } from "../lib/errors";
import { createRouter, errorResponses, jsonResponse } from "../lib/router";
import { ImportErrors, ImportResult } from "./import.schemas";
import { runImport } from "./importer";
import { lines, streamChunks } from "./lines";
import { memorySpool } from "./spool";

const NDJSON = /^application\/(x-ndjson|jsonl|x-jsonlines)\b/i;

const route = createRoute({
  method: "post",
  path: "/v1/import",
  tags: ["Register"],
  summary: "Bulk import from the case system: NDJSON, one child a line, upserted by (authority, externalId)",
  description:
    "Every line is checked before anything is written; any bad line → 422 with `lines: [{ line, errors }]` and nothing written. Workers are referred to by `keyWorkerExternalId`.",
  middleware: [requireRole("designated_manager")],
  request: { body: { required: true, content: { "application/x-ndjson": { schema: z.string().openapi({ example: '{"authority":"STAFFS","externalId":"LCS-1",...}' }) } } } },
  responses: {
    ...errorResponses(413, 415),
    200: jsonResponse(ImportResult, "Imported"),
    422: { description: "Bad lines; nothing written", content: { "application/problem+json": { schema: ImportErrors } } },
  },
});

export const importRoutes = createRouter().openapi(route, async (c) => {
  if (!NDJSON.test(c.req.header("content-type") ?? ""))
    throw new AppError("unsupported_media", "Send the import as NDJSON with Content-Type: application/x-ndjson.");
  const body = c.req.raw.body;
  if (!body) throw new AppError("invalid", "The import is empty.");
  const { config, createSpool } = c.var.deps;
  const spool = await (createSpool ?? memorySpool)();
  try {
    let bytes = 0;
    for await (const chunk of streamChunks(body)) {
      bytes += chunk.byteLength;
      if (bytes > config.importMaxBytes) throw new AppError("too_large", `An import may be at most ${config.importMaxBytes} bytes; use npm run import for larger files.`);
      await spool.write(chunk);
    }
    const read = await spool.finish();
    const result = await runImport(ctxOf(c), () => lines(read()));
    return c.json(result, 200);
  } finally {
    await spool.dispose();
  }
});
