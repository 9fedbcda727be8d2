import { z } from "@hono/zod-openapi";
import { AppError } from "./errors";

/** The most items a page holds: `limit` is at most this (api.md). */
export const MAX_PAGE = 1000;

export const PageQuery = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_PAGE)
    .default(100)
    .openapi({ format: "int32", example: 100, description: "Items a page (default 100, at most 1000)" }),
  cursor: z.string().max(500).optional().openapi({ pattern: "^[A-Za-z0-9_-]*$", description: "The `next` page's cursor, as given" }),
});

export const page = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item).max(MAX_PAGE),
    // The request's own path and query with the cursor replaced: bounded as the request line is.
    next: z.string().max(8000).nullable().openapi({
      pattern: "^/v1/\\S*$",
      example: "/v1/children?cursor=...",
      description: "The path of the following page; null on the last",
    }),
  });

/** Cursors are opaque to clients: the sort key of the last item they saw. */
export function encodeCursor(key: string): string {
  const bytes = new TextEncoder().encode(key);
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

export function decodeCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  try {
    const binary = atob(cursor.replace(/-/g, "+").replace(/_/g, "/"));
    return new TextDecoder("utf-8", { fatal: true }).decode(Uint8Array.from(binary, (ch) => ch.charCodeAt(0)));
  } catch {
    throw new AppError("malformed", "The cursor is not one this service gave out.", {
      errors: [{ path: "cursor", message: "is not valid" }],
    });
  }
}

/**
 * Given one more row than the page holds, returns the page and the path of the next one
 * (the request's own path and query with the cursor replaced).
 */
export function toPage<T>(rows: T[], limit: number, keyOf: (row: T) => string, url: string) {
  const items = rows.slice(0, limit);
  if (rows.length <= limit) return { items, next: null };
  const u = new URL(url);
  u.searchParams.set("cursor", encodeCursor(keyOf(items[items.length - 1] as T)));
  return { items, next: `${u.pathname}?${u.searchParams.toString()}` };
}

/** A cursor over a numeric key (references, audit sequence numbers). */
export function decodeNumericCursor(cursor: string | undefined): number | undefined {
  const key = decodeCursor(cursor);
  if (key === undefined) return undefined;
  if (!/^\d{1,15}$/.test(key))
    throw new AppError("malformed", "The cursor is not one this service gave out.", {
      errors: [{ path: "cursor", message: "is not valid" }],
    });
  return Number(key);
}
