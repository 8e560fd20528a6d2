import { uuidv7 } from "uuidv7";

/** Time-ordered ids: they sort by creation, which keeps cursor pagination and indexes cheap. */
export const newId = (): string => uuidv7();

export const nowIso = (): string => new Date().toISOString();
