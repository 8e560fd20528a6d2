/**
 * PostgreSQL's SQLSTATE codes the repositories turn into the same domain outcomes as the SQLite
 * code (Bun SQL puts the server's code in `errno`).
 */
export const SQLSTATE = {
  uniqueViolation: "23505",
  checkViolation: "23514",
  serializationFailure: "40001",
  deadlockDetected: "40P01",
} as const;

export const sqlState = (error: unknown): string | undefined => {
  const errno = (error as { errno?: unknown } | null)?.errno;
  return typeof errno === "string" ? errno : undefined;
};

/** The constraint a 23505/23514 names (Bun SQL's `constraint`), to tell which rule refused. */
export const constraintOf = (error: unknown): string | undefined => (error as { constraint?: string } | null)?.constraint;
