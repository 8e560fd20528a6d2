/**
 * Time-ordered ids (UUIDv7): they sort by creation, which keeps cursor pagination and indexes
 * cheap. Bun's native generator is monotonic within a millisecond (a counter) and ~3x faster than
 * the uuidv7 package it replaced, which showed up at ~2% of a checkout's CPU.
 */
export const newId = (): string => Bun.randomUUIDv7();

export const nowIso = (): string => new Date().toISOString();
