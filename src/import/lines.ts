import { AppError } from "../lib/errors";

/**
 * The longest line an import takes. A child's record with many addresses and aliases is a
 * few KB (the generated register's lines average under half a KB); only a line with every
 * list at its longest and every field at its longest would pass 64 KiB (about 93 KB). A
 * longer line is refused rather than read: its cost grew faster than its size, and a single
 * line of a 2 GiB body would otherwise be held whole in memory.
 */
export const MAX_LINE_BYTES = 64 * 1024;

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

/**
 * Splits a byte stream into lines, holding at most one line (of at most `maxLineBytes`) and
 * one chunk at a time. It splits on the newline byte, which in UTF-8 is never part of another
 * character, so each chunk is searched once and a line is decoded once, when it is complete;
 * a line that grows past the bound is refused as soon as it does, before the rest is read.
 */
export async function* lines(
  chunks: AsyncIterable<Uint8Array>,
  opts: { maxBytes?: number; maxLineBytes?: number } = {},
): AsyncGenerator<string> {
  const maxLine = opts.maxLineBytes ?? MAX_LINE_BYTES;
  const decoder = new TextDecoder("utf-8");
  let parts: Uint8Array[] = [];
  let partBytes = 0;
  let bytes = 0;
  let lineNo = 1;
  const take = (piece: Uint8Array) => {
    partBytes += piece.byteLength;
    // A line's terminating "\r" is not counted against it.
    if (partBytes > maxLine + 1) throw new LineTooLong(lineNo, maxLine);
    if (piece.byteLength) parts.push(piece);
  };
  const finishLine = () => {
    const last = parts[parts.length - 1];
    const cr = last !== undefined && last[last.byteLength - 1] === CARRIAGE_RETURN ? 1 : 0;
    if (partBytes - cr > maxLine) throw new LineTooLong(lineNo, maxLine);
    let line: Uint8Array;
    if (parts.length === 1) line = parts[0]!;
    else {
      line = new Uint8Array(partBytes);
      let at = 0;
      for (const p of parts) {
        line.set(p, at);
        at += p.byteLength;
      }
    }
    parts = [];
    partBytes = 0;
    lineNo++;
    return decoder.decode(cr ? line.subarray(0, line.byteLength - 1) : line);
  };
  for await (const chunk of chunks) {
    bytes += chunk.byteLength;
    if (opts.maxBytes !== undefined && bytes > opts.maxBytes) throw new TooLarge(opts.maxBytes);
    let start = 0;
    for (let nl = chunk.indexOf(NEWLINE, start); nl >= 0; nl = chunk.indexOf(NEWLINE, start)) {
      take(chunk.subarray(start, nl));
      yield finishLine();
      start = nl + 1;
    }
    // Copied: a source may reuse its chunk once the next is asked for (and a Buffer's slice is a view).
    if (start < chunk.byteLength) take(Uint8Array.prototype.slice.call(chunk, start));
  }
  if (partBytes) yield finishLine();
}

/** A line longer than the bound: the whole import is refused, naming the line. */
export class LineTooLong extends AppError {
  constructor(
    readonly line: number,
    readonly maxLineBytes: number,
  ) {
    const errors = [{ path: "(line)", message: `is longer than ${maxLineBytes} bytes, the most one line may be` }];
    super("invalid", `Line ${line} is longer than ${maxLineBytes} bytes; nothing was imported.`, {
      errors: errors.map((e) => ({ path: `line ${line}: ${e.path}`, message: e.message })),
      extra: { lines: [{ line, errors }], invalidLines: 1 },
    });
  }
}

export class TooLarge extends Error {
  constructor(readonly maxBytes: number) {
    super(`larger than ${maxBytes} bytes`);
  }
}

/** A web ReadableStream as an async iterable (Node 20's has it; Workers' types may not say so). */
export async function* streamChunks(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      if (value) yield value;
    }
  } finally {
    reader.releaseLock();
  }
}
