import { Elysia } from "elysia";
import { errorBody } from "../errors";
import { errorResponse } from "./route-docs";

/** The parts of an OpenAPI document this merge reads; everything else is kept as the gateway's own has it. */
export interface OpenApiDocument {
  paths: Record<string, Record<string, unknown>>;
  components?: { schemas?: Record<string, unknown>; securitySchemes?: Record<string, unknown>; [key: string]: unknown };
  tags?: Array<{ name: string }>;
  [key: string]: unknown;
}

/** A service behind the gateway, and the path prefix the gateway routes to it. */
export interface DocumentSource {
  service: string;
  prefix: string;
  baseUrl: string;
}

const UNAVAILABLE = "DEPENDENCY_UNAVAILABLE: the service behind this route, or one it needs, cannot be reached (details.dependency names it)";

/** A forwarded operation, with the 503 the gateway answers when its service is down. */
function forwarded(operations: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(operations).map(([method, op]) => {
      const operation = op as { responses?: Record<string, unknown> };
      if (operation.responses?.["503"]) return [method, operation];
      return [method, { ...operation, responses: { ...operation.responses, 503: errorResponse(UNAVAILABLE) } }];
    }),
  );
}

/**
 * The whole shop's API as one document: the gateway's own routes (sign-in, health, metrics) and,
 * from each service's document, the paths under the prefix the gateway routes to it (a service
 * also documents its own health and metrics, which the gateway does not forward). Every forwarded
 * operation can answer 503: the gateway does when the service is down.
 */
export function mergeOpenApi(own: OpenApiDocument, services: Array<{ prefix: string; doc: OpenApiDocument }>): OpenApiDocument {
  const paths = Object.fromEntries(Object.entries(own.paths).filter(([path]) => !path.startsWith("/openapi")));
  const schemas = { ...own.components?.schemas };
  const securitySchemes = { ...own.components?.securitySchemes };
  const tags = new Map((own.tags ?? []).map((t) => [t.name, t]));
  for (const { prefix, doc } of services) {
    for (const [path, operations] of Object.entries(doc.paths)) {
      if (path === prefix || path.startsWith(`${prefix}/`)) paths[path] = forwarded(operations);
    }
    Object.assign(schemas, doc.components?.schemas);
    Object.assign(securitySchemes, doc.components?.securitySchemes);
    for (const tag of doc.tags ?? []) if (!tags.has(tag.name)) tags.set(tag.name, tag);
  }
  return {
    ...own,
    paths,
    components: { ...own.components, schemas, securitySchemes },
    ...(tags.size ? { tags: [...tags.values()] } : {}),
  };
}

class SourceUnavailable extends Error {
  constructor(readonly service: string, readonly reason: string) {
    super(`${service}: ${reason}`);
  }
}

/**
 * GET /openapi/json at the gateway: the merged document. Each service's document is fetched from
 * the service, bounded by `timeoutMs`, and kept for `ttlMs` (a redeployed service shows its new
 * routes after that); a service that cannot be asked is a 503 naming it, never a partial document.
 */
export function mergedOpenApi(opts: {
  sources: DocumentSource[];
  own: () => Promise<OpenApiDocument>;
  timeoutMs: number;
  ttlMs: number;
}) {
  const cache = new Map<string, { doc: OpenApiDocument; until: number }>();
  const inFlight = new Map<string, Promise<OpenApiDocument>>();

  const fetchDoc = async ({ service, baseUrl }: DocumentSource): Promise<OpenApiDocument> => {
    let res: Response;
    try {
      res = await fetch(`${baseUrl}/openapi/json`, { signal: AbortSignal.timeout(opts.timeoutMs) });
    } catch (error) {
      const timedOut = (error as Error).name === "TimeoutError";
      throw new SourceUnavailable(service, timedOut ? `no answer within ${opts.timeoutMs} ms` : (error as Error).message || "connection failed");
    }
    const body = (await res.json().catch(() => undefined)) as OpenApiDocument | undefined;
    if (!res.ok || !body || typeof body.paths !== "object") throw new SourceUnavailable(service, `it answered ${res.status} without a document`);
    cache.set(service, { doc: body, until: Date.now() + opts.ttlMs });
    return body;
  };

  const documentOf = (source: DocumentSource): Promise<OpenApiDocument> => {
    const cached = cache.get(source.service);
    if (cached && cached.until > Date.now()) return Promise.resolve(cached.doc);
    let pending = inFlight.get(source.service);
    if (!pending) {
      pending = fetchDoc(source).finally(() => inFlight.delete(source.service));
      inFlight.set(source.service, pending);
    }
    return pending;
  };

  return new Elysia({ name: "platform.merged-openapi" }).get(
    "/openapi/json",
    async ({ set }) => {
      const [own, ...fetched] = await Promise.all([opts.own(), ...opts.sources.map((s) => documentOf(s).then((doc) => doc, (error: unknown) => error))]);
      const missing = fetched.filter((f): f is SourceUnavailable => f instanceof SourceUnavailable);
      const failed = fetched.find((f) => f instanceof Error && !(f instanceof SourceUnavailable));
      if (failed) throw failed;
      if (missing.length) {
        set.status = 503;
        return errorBody(
          "DEPENDENCY_UNAVAILABLE",
          `The API document is incomplete: ${missing.map((m) => `${m.service}'s document could not be fetched (${m.reason})`).join("; ")}`,
          { dependency: missing[0]!.service, dependencies: missing.map((m) => m.service) },
        );
      }
      return mergeOpenApi(own!, opts.sources.map((s, i) => ({ prefix: s.prefix, doc: fetched[i] as OpenApiDocument })));
    },
    { detail: { hide: true } },
  );
}
