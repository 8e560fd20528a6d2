/** The value at percentile `p` (0–100) of an ascending array: nearest rank, 0 when empty. */
export const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? 0;
