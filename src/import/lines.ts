/** Splits a byte stream into lines without holding more than one line and one chunk at a time. */
export async function* lines(chunks: AsyncIterable<Uint8Array>, opts: { maxBytes?: number } = {}): AsyncGenerator<string> {
  const decoder = new TextDecoder("utf-8");
  let carry = "";
  let bytes = 0;
  for await (const chunk of chunks) {
    bytes += chunk.byteLength;
    if (opts.maxBytes !== undefined && bytes > opts.maxBytes) throw new TooLarge(opts.maxBytes);
    carry += decoder.decode(chunk, { stream: true });
    let nl: number;
    while ((nl = carry.indexOf("\n")) >= 0) {
      yield carry.slice(0, nl).replace(/\r$/, "");
      carry = carry.slice(nl + 1);
    }
  }
  carry += decoder.decode();
  if (carry.length) yield carry.replace(/\r$/, "");
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
