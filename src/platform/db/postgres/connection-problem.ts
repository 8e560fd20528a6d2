import { redactUrl } from "../../config";

/**
 * What went wrong reaching a module's PostgreSQL, in words an operator can act on, naming the
 * variable the URL came from and the URL without its password (Bun's own messages say neither).
 */
export function connectionProblem(variable: string, url: string, error: unknown): string {
  const e = error as { code?: string; errno?: string; message?: string };
  const parsed = new URL(url);
  const where = `${parsed.hostname}:${parsed.port || 5432}`;
  const user = decodeURIComponent(parsed.username || "(none)");
  const database = decodeURIComponent(parsed.pathname.slice(1));
  const detail = (() => {
    switch (e.errno) {
      case "28P01":
        return `PostgreSQL at ${where} refused the password of user "${user}"`;
      case "28000":
        return `PostgreSQL at ${where} does not let user "${user}" in (${e.message}): check pg_hba.conf and the user name`;
      case "3D000":
        return `database "${database}" does not exist on ${where}: create it (CREATE DATABASE ${database}) or fix the URL`;
      case "57P03":
        return `PostgreSQL at ${where} is starting up or shutting down; try again in a moment`;
      case "53300":
        return `PostgreSQL at ${where} has no connection slot left (max_connections)`;
    }
    switch (e.code) {
      case "ERR_POSTGRES_CONNECTION_REFUSED":
        return `nothing accepts connections at ${where} (connection refused): is PostgreSQL running there?`;
      case "ERR_POSTGRES_CONNECTION_TIMEOUT":
      case "ERR_POSTGRES_CONNECTION_FAILED":
        return `no PostgreSQL answered at ${where} (${e.message})`;
    }
    return `cannot use PostgreSQL at ${where}: ${e.message ?? String(error)}`;
  })();
  return `${variable} (${redactUrl(url)}): ${detail}`;
}
