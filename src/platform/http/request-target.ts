import { AppError } from "../errors";

// Bun hands over `request.url` as `http://<Host header><target>` when the Host header is usable,
// and as the bare target ("/health/live") when there is none, or an empty or unusable one. Neither
// `new URL()` nor Elysia's own path slicing is safe on the second shape, so the shell reads URLs
// through these helpers and refuses the requests it cannot route before anything else runs.

const SLASH = 47;
const PERCENT = "%";
/** Control characters (C0 and DEL) have no business in a decoded path or query. */
const CONTROL = /[\u0000-\u001f\u007f]/;

/** Where the path starts in `url`: 0 for a bare target, else the first "/" after the authority. */
function pathStart(url: string): number {
  if (url.charCodeAt(0) === SLASH) return 0;
  const authority = url.indexOf("://");
  const slash = authority === -1 ? -1 : url.indexOf("/", authority + 3);
  return slash === -1 ? url.length : slash;
}

/** The path of a request URL, without its query. Never throws, whatever the shape of the URL. */
export function pathOf(url: string): string {
  const start = pathStart(url);
  const query = url.indexOf("?", start);
  return url.slice(start, query === -1 ? url.length : query) || "/";
}

/** The query of a request URL with its "?", or "". Never throws. */
export function searchOf(url: string): string {
  const query = url.indexOf("?", pathStart(url));
  return query === -1 ? "" : url.slice(query);
}

/** 1 for the characters of a host name or IPv4 address: a-z A-Z 0-9 - . _ ~ (a table: this runs on every request). */
const NAME_CHAR = new Uint8Array(128);
for (const c of "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~") NAME_CHAR[c.charCodeAt(0)] = 1;
const isIpv6Char = (c: number) => (c >= 48 && c <= 58) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70) || c === 46; // 0-9 : a-f A-F .

/** `url[from, to)` is ":" and a port number (1 to 5 digits, at most 65535), or empty. */
function isPortOrNothing(url: string, from: number, to: number): boolean {
  if (from === to) return true;
  if (url.charCodeAt(from) !== 58 || to - from < 2 || to - from > 6) return false;
  let port = 0;
  for (let i = from + 1; i < to; i++) {
    const digit = url.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return false;
    port = port * 10 + digit;
  }
  return port <= 65535;
}

/** `url[from, to)` is a host name, an IPv4 address or a bracketed IPv6 address, with an optional port. */
function isPlainHost(url: string, from: number, to: number): boolean {
  let i = from;
  if (url.charCodeAt(i) === 91) {
    const close = url.indexOf("]", i);
    if (close === -1 || close >= to || close === i + 1) return false;
    for (i++; i < close; i++) if (!isIpv6Char(url.charCodeAt(i))) return false;
    return isPortOrNothing(url, close + 1, to);
  }
  while (i < to) {
    const c = url.charCodeAt(i);
    if (c >= 128 || NAME_CHAR[c] !== 1) break;
    i++;
  }
  return i > from && isPortOrNothing(url, i, to);
}

const noHost = () => new AppError(400, "BAD_HOST", "The request has no usable Host header");
const badHost = () => new AppError(400, "BAD_HOST", "The Host header is not a plain host name or address");
const badPart = (part: "path" | "query", problem: string) =>
  new AppError(400, part === "path" ? "INVALID_PATH" : "INVALID_QUERY", `The request ${part} ${problem}`);

/** Checks one percent-encoded part: it must decode as UTF-8 (no overlong forms) to no control characters. */
function partProblem(part: "path" | "query", raw: string): AppError | undefined {
  if (!raw.includes(PERCENT)) return undefined; // Bun refuses or encodes raw control characters itself
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return badPart(part, "is not valid percent-encoded UTF-8");
  }
  return CONTROL.test(decoded) ? badPart(part, "contains control characters once decoded") : undefined;
}

/**
 * Why the shell cannot route this request URL, or undefined when it can: no Host, a Host that is
 * not a plain name or address, or a path or query that is not percent-encoded UTF-8 free of control
 * characters. Cheap on the common URL: a few index lookups and a scan of the host.
 */
export function requestTargetProblem(url: string): AppError | undefined {
  if (url.charCodeAt(0) === SLASH) return noHost();
  const authority = url.indexOf("://");
  if (authority === -1) return noHost();
  const start = pathStart(url);
  if (!isPlainHost(url, authority + 3, start)) return badHost();
  if (url.indexOf(PERCENT, start) === -1) return undefined;
  const query = url.indexOf("?", start);
  if (query === -1) return partProblem("path", url.slice(start));
  return partProblem("path", url.slice(start, query)) ?? partProblem("query", url.slice(query + 1));
}
