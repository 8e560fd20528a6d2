import { Elysia, type AnyElysia } from "elysia";
import { toOpenAPISchema } from "@elysiajs/openapi";
import { ErrorBodySchema } from "../errors";
import { MAX_JSON_DEPTH } from "./json-body";
import type { OpenApiDocument } from "./merged-openapi";
import { errorResponse } from "./route-docs";
import { documentedSchemas } from "./openapi-schemas";

export interface OpenApiDocumentOptions {
  title: string;
  /** Where the document is served (the gateway moves its own aside and serves the merged one here). */
  path: string;
  maxBodyBytes: number;
  /** Split mode: a route may answer 503 when a service it needs (or the gateway's session check) is down. */
  dependenciesMayBeDown: boolean;
}

/** What the document needs of a route (Elysia's InternalRoute). */
interface Route {
  method: string;
  path: string;
  hooks: {
    body?: unknown;
    params?: unknown;
    query?: unknown;
    headers?: unknown;
    parse?: unknown;
    detail?: { hide?: boolean; responses?: Record<string, unknown> };
    [key: string]: unknown;
  };
}

const EXCLUDED_PATHS = [/^\/internal\//];

/**
 * The OpenAPI document of this process, as true as the server: built from the routes by
 * @elysiajs/openapi, then completed with what every route answers besides what it declares.
 *
 * - Bodies are JSON only (the shell's one parser answers 415 to anything else), never forms.
 * - Schemas say what the server checks in plain JSON Schema (integers, free text: openapi-schemas.ts).
 * - Every refusal the shell makes is listed on the routes where it can happen, in the one error
 *   shape (`#/components/schemas/Error`): 400 for an unusable request target, 400/413/415 for
 *   bodies, 422 where there is input to validate, 503 in split mode. Routes add their own
 *   (401/403, 404, 409, 429...) with `routeDoc`.
 * - Paths are written without a trailing slash (Elysia answers both).
 */
export function openApiDocument(opts: OpenApiDocumentOptions) {
  const plugin = new Elysia({ name: "platform.openapi-document", seed: opts.path });
  let cached: { routes: number; doc: OpenApiDocument } | undefined;
  return plugin.get(
    opts.path,
    () => {
      const routes = (plugin as unknown as { getGlobalRoutes(): Route[] }).getGlobalRoutes();
      if (cached?.routes !== routes.length) cached = { routes: routes.length, doc: buildDocument(plugin, routes, opts) };
      return cached.doc;
    },
    { detail: { hide: true } },
  );
}

function buildDocument(plugin: AnyElysia, routes: Route[], opts: OpenApiDocumentOptions): OpenApiDocument {
  // The shell's parse hook is a function, and @elysiajs/openapi then lists no media type for a body
  // at all; without it, it lists JSON, forms and multipart. The latter, trimmed to JSON below.
  const withoutParsers = routes.map((route) => ({ ...route, hooks: { ...route.hooks, parse: undefined } }));
  const source = {
    getGlobalRoutes: () => withoutParsers,
    getGlobalDefinitions: () => (plugin as unknown as { getGlobalDefinitions(): unknown }).getGlobalDefinitions(),
  } as unknown as AnyElysia;
  const generated = toOpenAPISchema(source, { paths: EXCLUDED_PATHS }, undefined, undefined, "3.1.0") as unknown as {
    paths: Record<string, Record<string, Operation>>;
  };

  const paths: Record<string, Record<string, Operation>> = {};
  for (const route of routes) {
    const method = route.method.toLowerCase();
    const key = route.path.replace(/:([^/]+)/g, "{$1}");
    const operation = generated.paths[key]?.[method];
    if (!operation) continue; // hidden, internal, or not documented (HEAD, OPTIONS)
    const path = key.length > 1 ? key.replace(/\/$/, "") : key;
    (paths[path] ??= {})[method] = complete(operation, route, opts);
  }
  return documentedSchemas({
    openapi: "3.1.0",
    info: { title: opts.title, version: "1.0.0", description: "Catalog, cart, order and payment API of the shop. Every error answer has the shape `Error`." },
    paths,
    components: {
      schemas: { Error: JSON.parse(JSON.stringify(ErrorBodySchema)) },
      securitySchemes: { bearerAuth: { type: "http", scheme: "bearer", bearerFormat: "JWT" } },
    },
  });
}

interface Operation {
  requestBody?: { content?: Record<string, { schema: unknown }>; description?: string; required?: boolean };
  responses?: Record<string, { description: string; content?: unknown; headers?: unknown }>;
  [key: string]: unknown;
}

/** One operation made true: JSON-only body, its own answers, and the shell's answers where they can happen. */
function complete(operation: Operation, route: Route, opts: OpenApiDocumentOptions): Operation {
  const out: Operation = { ...operation };
  const hasBody = Boolean(out.requestBody);
  if (out.requestBody) {
    const schema = out.requestBody.content?.["application/json"]?.schema;
    out.requestBody = { required: true, content: { "application/json": { schema } } };
  }
  const responses: Record<string, { description: string; content?: unknown; headers?: unknown }> = {
    ...out.responses,
    ...(route.hooks.detail?.responses as Operation["responses"]),
  };
  const add = (status: number, description: string) => {
    const existing = responses[status];
    responses[status] = existing ? { ...existing, description: `${existing.description}; ${description}` } : errorResponse(description);
  };
  add(400, "BAD_HOST, INVALID_PATH or INVALID_QUERY: the Host, the path or the query cannot be read (bad percent-encoding, control characters in the path)");
  if (hasBody) {
    add(400, `MALFORMED_BODY: the body is not JSON; JSON_TOO_DEEP: arrays and objects nest deeper than ${MAX_JSON_DEPTH}`);
    add(413, `PAYLOAD_TOO_LARGE: the body is over ${opts.maxBodyBytes} bytes (MAX_BODY_BYTES)`);
    add(415, "UNSUPPORTED_MEDIA_TYPE: a body that is not Content-Type: application/json");
  }
  if (route.hooks.params || route.hooks.query || route.hooks.headers || route.hooks.body) {
    add(422, "VALIDATION_FAILED: a parameter, header or body field breaks its schema (details.problems names each field)");
  }
  if (opts.dependenciesMayBeDown && route.path.startsWith("/api/")) {
    add(503, "DEPENDENCY_UNAVAILABLE: a service this route needs cannot be reached (split mode; details.dependency names it)");
  }
  out.responses = Object.fromEntries(Object.entries(responses).sort(([a], [b]) => Number(a) - Number(b)));
  return out;
}
