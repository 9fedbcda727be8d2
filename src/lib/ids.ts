import { uuidv7 } from "uuidv7";

/** Time-ordered ids, so that "oldest first" and cursors can follow the id. */
export const newId = (): string => uuidv7();
