import { AppError } from "../errors";
import { pathOf } from "./request-target";

/**
 * How deep arrays and objects may nest in a request body. The shop's deepest body is two levels;
 * without a bound, 20,000 nested arrays in 40 KB took schema validation 10 s and 2.5 GB.
 */
export const MAX_JSON_DEPTH = 32;

const QUOTE = 34;
const BACKSLASH = 92;
const OPEN_ARRAY = 91;
const CLOSE_ARRAY = 93;
const OPEN_OBJECT = 123;
const CLOSE_OBJECT = 125;

/**
 * Whether arrays and objects in `text` nest deeper than `max`: one linear pass that skips the
 * inside of strings (escapes included), so brackets in string values do not count. It does not
 * validate; JSON.parse does that afterwards, on text whose depth is known to be small.
 */
export function nestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      for (i++; i < text.length; i++) {
        const s = text.charCodeAt(i);
        if (s === BACKSLASH) i++;
        else if (s === QUOTE) break;
      }
    } else if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
      if (++depth > max) return true;
    } else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) {
      depth--;
    }
  }
  return false;
}

/** JSON text to a value: too deep is a 400 JSON_TOO_DEEP before JSON.parse sees it; invalid is a 400 MALFORMED_BODY. */
export function parseJsonText(text: string, maxDepth = MAX_JSON_DEPTH): unknown {
  if (text.length === 0) return null; // an empty JSON body reads as null: a route that needs a body says so by its schema
  if (nestsDeeperThan(text, maxDepth)) {
    throw new AppError(400, "JSON_TOO_DEEP", `The JSON body nests arrays and objects deeper than ${maxDepth} levels`, { maxDepth });
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError(400, "MALFORMED_BODY", "The request body is not valid JSON");
  }
}

const isJson = (mediaType: string) => {
  const type = mediaType.trim().toLowerCase();
  return type === "application/json" || type.endsWith("+json");
};

/** The parsed body of a request under `forwardedPrefixes`: none, its stream is left unread for the proxy to forward. */
const FORWARDED_UNREAD = Symbol("body forwarded unread");

/**
 * The one body parser of every route (an Elysia parse hook). Bodies are JSON: another media type is
 * a 415 (Elysia's form parsers would otherwise JSON.parse form fields with no depth bound), a body
 * over the size limit that came without a Content-Length is a 413, and the text goes through
 * `parseJsonText`. A request without a body or a Content-Type is left alone, as before.
 * Under `forwardedPrefixes` (the gateway's proxied paths) the body is not read here: the service it
 * goes to judges it. A gateway that judged it would answer a bad body where the service answers what
 * comes first (405 for a method it does not take, 204 for a preflight): split mode would answer
 * otherwise than all-in-one.
 */
export function jsonBodyParser(maxBodyBytes: number, forwardedPrefixes: readonly string[] = []) {
  const forwarded = (path: string) => forwardedPrefixes.some((p) => path === p || path.startsWith(`${p}/`));
  return async ({ request }: { request: Request }, contentType: string): Promise<unknown> => {
    if (!contentType) return undefined;
    if (forwardedPrefixes.length > 0 && forwarded(pathOf(request.url))) return FORWARDED_UNREAD;
    if (!isJson(contentType)) {
      throw new AppError(415, "UNSUPPORTED_MEDIA_TYPE", `Request bodies are JSON (Content-Type: application/json), not ${contentType.slice(0, 100)}`);
    }
    const text = await request.text();
    // Characters never outnumber bytes: a text this long is over the byte limit for sure.
    if (text.length > maxBodyBytes) {
      throw new AppError(413, "PAYLOAD_TOO_LARGE", `Request body is over ${maxBodyBytes} bytes; the limit is ${maxBodyBytes}`);
    }
    return parseJsonText(text);
  };
}
