// Which requests get an info line. A line per request cost reads ~15–30% of their CPU
// (bench/micro/request-log.ts); metrics already count every request, so the log keeps what a
// reader looks for: every error (status >= 400), every slow request, and one in `every` of the
// fast successful rest, marked with how many it stands for.

export interface RequestLogSampling {
  /** One successful fast request in this many gets a line (1: every request). */
  every: number;
  /** A request taking at least this long always gets a line. */
  slowMs: number;
}

export const DEFAULT_REQUEST_LOG_SAMPLING: RequestLogSampling = { every: 10, slowMs: 100 };

/** Returns, per finished request, undefined (no line) or the number of requests the line stands for. */
export function requestLogSampler({ every, slowMs }: RequestLogSampling): (status: number, ms: number) => number | undefined {
  let fast = 0;
  return (status, ms) => {
    if (status >= 400 || ms >= slowMs || every <= 1) return 1;
    fast = (fast + 1) % every;
    return fast === 0 ? every : undefined;
  };
}
