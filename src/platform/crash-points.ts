/**
 * Named points where the crash tests kill the process (SIGKILL, no clean-up), to prove that a
 * restart settles whatever was half done. Honoured only when NODE_ENV=test and CRASH_AT names
 * the point; everywhere else this is a no-op.
 */
const target = process.env.NODE_ENV === "test" ? process.env.CRASH_AT : undefined;

export function crashPoint(name: string): void {
  if (target === name) process.kill(process.pid, "SIGKILL");
}
