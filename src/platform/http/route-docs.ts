import type { TSchema } from "@sinclair/typebox";
import type { DocumentDecoration } from "elysia";
import { bearerSecurity } from "../auth/guard";

/** Where the OpenAPI document keeps the one error shape (src/platform/errors.ts's ErrorBodySchema). */
export const ERROR_SCHEMA_REF = "#/components/schemas/Error";

/** Who may call a route: anyone, or the role `requireRole` checks (customer: any signed-in user). */
export type Caller = "anyone" | "customer" | "operator" | "service";

/** A success answer: its body's schema, `null` for none (204), or a body that is not JSON. */
export type SuccessBody = TSchema | null | { contentType: string; schema: TSchema };

export interface RouteDoc {
  summary: string;
  tags: string[];
  caller: Caller;
  /** Every success status the route answers, with its body. */
  ok: Record<number, SuccessBody>;
  /**
   * What the route itself refuses, by status, in a few words with the error codes: 404, 409, 429...
   * The answers every route shares (400 from the request-target check, 413/415/400 for bodies,
   * 422 for invalid input, 401/403 from `caller`, 503 in split mode) are added by the document.
   */
  refuses?: Record<number, string>;
  /** A refusal whose body is not the error shape (a failed checkout answers with its order). */
  bodies?: Record<number, TSchema>;
  description?: string;
}

const SUCCESS_TEXT: Record<number, string> = { 200: "OK", 201: "Created", 202: "Accepted: still running", 204: "No content" };

const json = (schema: unknown) => ({ "application/json": { schema } });

/** The answer every refusal of the shop shares: the error shape, described. */
export const errorResponse = (description: string, headers?: Record<string, unknown>) => ({
  description,
  ...(headers ? { headers } : {}),
  content: json({ $ref: ERROR_SCHEMA_REF }),
});

/** A 429 says when to come back. */
const RETRY_AFTER = { "Retry-After": { description: "seconds until the limit lets this caller try again", schema: { type: "integer", minimum: 0 } } };

const ACCESS_REFUSALS: Record<Caller, Record<number, string>> = {
  anyone: {},
  customer: { 401: "UNAUTHORIZED: no bearer token, or an invalid, expired or revoked one" },
  operator: {
    401: "UNAUTHORIZED: no bearer token, or an invalid, expired or revoked one",
    403: "FORBIDDEN: for operators only",
  },
  service: {
    401: "UNAUTHORIZED: no bearer token, or an invalid, expired or revoked one",
    403: "FORBIDDEN: for the shop's own services only",
  },
};

/**
 * A route's `detail` for the OpenAPI document: its summary, who may call it, and every status it
 * answers with its body. Routes say what is theirs (success, 404, 409, 429, ...); the document
 * adds what the shell answers on every route (see openapi-document.ts).
 */
export function routeDoc(doc: RouteDoc): DocumentDecoration {
  const responses: Record<string, unknown> = {};
  for (const [status, body] of Object.entries(doc.ok)) {
    const description = SUCCESS_TEXT[Number(status)] ?? "Success";
    if (body === null) responses[status] = { description };
    else if ("contentType" in body) responses[status] = { description, content: { [body.contentType]: { schema: body.schema } } };
    else responses[status] = { description, content: json(body) };
  }
  const refusals = { ...ACCESS_REFUSALS[doc.caller], ...doc.refuses };
  for (const [status, description] of Object.entries(refusals)) {
    const body = doc.bodies?.[Number(status)];
    responses[status] = body
      ? { description, content: json(body) }
      : errorResponse(description, status === "429" ? RETRY_AFTER : undefined);
  }
  return {
    summary: doc.summary,
    tags: doc.tags,
    ...(doc.description ? { description: doc.description } : {}),
    ...(doc.caller === "anyone" ? {} : { security: bearerSecurity }),
    // TypeBox schemas are JSON Schema: the document serialises them as they are.
    responses: responses as DocumentDecoration["responses"],
  };
}
