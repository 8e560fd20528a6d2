import { Type, type IntegerOptions, type TInteger } from "@sinclair/typebox";

/**
 * An integer field of a JSON body (request or response): a JSON number, never a string.
 *
 * Elysia's `t.Integer` is `string | integer` with a decode step, so `"5"` passed as a quantity
 * and the OpenAPI document said `anyOf [string, integer]`. That is right for query and path
 * parameters, which are text, and wrong for JSON, which has numbers: use this in every body
 * schema and keep `t.Integer` for query and path parameters. test/platform/json-body-integers.test.ts walks
 * every route's body schema to keep it so.
 */
export const JsonInteger = (options?: IntegerOptions): TInteger => Type.Integer(options);
