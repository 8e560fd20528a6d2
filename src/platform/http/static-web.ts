import { Elysia, NotFoundError } from "elysia";
import { existsSync } from "node:fs";
import { join, normalize, resolve } from "node:path";
import { errorBody } from "../errors";
import { pathOf } from "./request-target";

const API_PREFIXES = ["/api/", "/internal/", "/health/", "/openapi", "/metrics"];

/**
 * Serves the built dashboard (a single-page app): files by path, index.html for anything else
 * that is not an API route, so client-side routes survive a reload.
 */
export function staticWeb(dir: string | undefined) {
  const app = new Elysia({ name: "platform.static-web", detail: { hide: true } });
  if (!dir || !existsSync(join(dir, "index.html"))) return app;
  const root = resolve(dir);
  const index = () => new Response(Bun.file(join(root, "index.html")), { headers: { "cache-control": "no-cache" } });
  return app.get("/", index).get("/*", async ({ request, set }) => {
    // The shell refuses undecodable paths before routing; this route does not rely on it.
    const path = safeDecode(pathOf(request.url));
    if (path === undefined || path.includes("\0")) {
      set.status = 400;
      return errorBody("INVALID_PATH", "The request path is not valid percent-encoded UTF-8");
    }
    // Not a page: the shell answers as for any unrouted request (404, or 405 where other methods are routed).
    if (API_PREFIXES.some((p) => path.startsWith(p))) throw new NotFoundError();
    const file = resolve(root, "." + normalize(path));
    if (file.startsWith(root + "/") && (await Bun.file(file).exists())) {
      const immutable = path.startsWith("/assets/");
      return new Response(Bun.file(file), { headers: { "cache-control": immutable ? "public, max-age=31536000, immutable" : "no-cache" } });
    }
    return index();
  });
}

function safeDecode(path: string): string | undefined {
  try {
    return decodeURIComponent(path);
  } catch {
    return undefined;
  }
}
