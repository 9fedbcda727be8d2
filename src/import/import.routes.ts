import { createRoute, z } from "@hono/zod-openapi";
import { ctxOf, requireRole } from "../http/middleware";
import { createRouter, errorResponses, jsonResponse, rateLimitHeaders } from "../http/router";
import { AppError } from "../lib/errors";
import { memorySpool } from "../lib/spool";
import { ImportErrors, ImportResult } from "./import.schemas";
import { runImport } from "./importer";
import { lines, streamChunks } from "./lines";

const NDJSON = /^application\/(x-ndjson|jsonl|x-jsonlines)\b/i;

const route = createRoute({
  method: "post",
  path: "/v1/import",
  tags: ["Register"],
  summary: "Bulk import from the case system: NDJSON, one child a line, upserted by (authority, externalId)",
  operationId: "importChildren",
  description:
    "Bulk import from the case system: NDJSON, one child a line (as POST /v1/children, with `externalId`, `cases`, `plans` and `conferences`), upserted by (authority, externalId). Every line is checked before anything is written; any bad line gives 422 with `lines: [{ line, errors }]` and nothing written. Workers are referred to by `keyWorkerExternalId`. The body may be up to the deployment's import limit (2 GiB by default). Designated managers only.",
  middleware: [requireRole("designated_manager")],
  request: {
    body: {
      required: true,
      description:
        "NDJSON: one child a line, each line a JSON object as POST /v1/children takes, with `externalId`, `cases`, `plans` and `conferences` (api.md)",
      content: {
        "application/x-ndjson": {
          // The whole body: as long as the deployment's import limit (IMPORT_MAX_BYTES, 2 GiB by default), checked as it streams in.
          schema: z
            .string()
            .max(2 ** 31 - 1)
            .openapi({ example: '{"authority":"STAFFS","externalId":"LCS-1",...}' }),
        },
      },
    },
  },
  responses: {
    ...errorResponses(413, 415),
    200: jsonResponse(ImportResult, "Imported"),
    422: {
      description: "Bad lines; nothing written",
      headers: rateLimitHeaders,
      content: { "application/problem+json": { schema: ImportErrors } },
    },
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
      if (bytes > config.importMaxBytes)
        throw new AppError("too_large", `An import may be at most ${config.importMaxBytes} bytes; use npm run import for larger files.`);
      await spool.write(chunk);
    }
    const read = await spool.finish();
    const result = await runImport(ctxOf(c), () => lines(read()));
    return c.json(result, 200);
  } finally {
    await spool.dispose();
  }
});
