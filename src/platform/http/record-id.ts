import { Type, type StringOptions, type TString } from "@sinclair/typebox";

/** An id in a path or a body (UUIDs, seeded slugs), with the rule a 422 says. One definition for every module. */
export const RecordId = (options?: StringOptions): TString =>
  Type.String({ ...options, minLength: 1, maxLength: 64, pattern: "^[\\w-]+$", error: "must be an id: 1 to 64 letters, digits, underscores or dashes" });
