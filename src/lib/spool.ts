/**
 * An import is read twice: once to validate every line, once to write. A request body can
 * be read only once, so it is spooled as it streams in. Node spools to a temporary file
 * (a million lines never sit in memory); Workers, which have no disk and cap request bodies
 * at 100 MB, spool to memory.
 */
export interface Spool {
  write(chunk: Uint8Array): Promise<void>;
  /** Ends writing; the returned function reads the spooled bytes back, as often as needed. */
  finish(): Promise<() => AsyncIterable<Uint8Array>>;
  dispose(): Promise<void>;
}

export type CreateSpool = () => Promise<Spool>;

export const memorySpool: CreateSpool = async () => {
  const chunks: Uint8Array[] = [];
  return {
    write: async (chunk) => {
      chunks.push(chunk);
    },
    finish: async () =>
      async function* () {
        yield* chunks;
      },
    dispose: async () => {
      chunks.length = 0;
    },
  };
};
