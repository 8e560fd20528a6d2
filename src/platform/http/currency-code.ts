import { Type, type StringOptions, type TString } from "@sinclair/typebox";

/** A currency field: an ISO 4217 code in capitals, with the rule a 422 says. One definition for every module. */
export const CurrencyCode = (options?: StringOptions): TString =>
  Type.String({ description: "ISO-4217 code", ...options, pattern: "^[A-Z]{3}$", error: "must be a three-letter ISO 4217 code in capitals, such as EUR" });
