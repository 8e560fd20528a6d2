/** PostgreSQL's SQLSTATE codes the code acts on (Bun SQL puts the server's code in `errno`). */
export const SQLSTATE = {
  serializationFailure: "40001",
  deadlockDetected: "40P01",
} as const;

export const sqlState = (error: unknown): string | undefined => {
  const errno = (error as { errno?: unknown } | null)?.errno;
  return typeof errno === "string" ? errno : undefined;
};
