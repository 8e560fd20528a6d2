import { Type, type StringOptions, type TString } from "@sinclair/typebox";

/**
 * Free text a client may send (a product's name, a search, a password): printable characters only.
 * No C0 control characters, DEL or C1 control characters (U+0000-U+001F, U+007F-U+009F), and no
 * lone surrogate halves, which JSON can carry ("\ud800") but UTF-8 cannot store: SQLite wrote
 * U+FFFD instead, so what was echoed back was not what was sent. Multi-line text also takes
 * \n and \t. A refusal is a 422 naming the field, with `error` as its message.
 *
 * Lengths count characters (code points), as JSON Schema's minLength and maxLength do, while
 * TypeBox's count UTF-16 units ("😀" is 2): so the server checks one pattern that counts a surrogate
 * pair as one character and refuses a lone half. The document states the same rule in the form
 * other tools read (see openapi-schemas.ts): minLength, maxLength and a pattern of the refused
 * control characters (JSON Schema validators in Rust and Python have no lone surrogates to refuse).
 */
export function CleanText(opts: { minLength?: number; maxLength: number; multiline?: boolean } & Omit<StringOptions, "minLength" | "maxLength" | "pattern">): TString {
  const { minLength = 0, maxLength, multiline = false, ...rest } = opts;
  const refused = multiline ? MULTILINE_REFUSED : REFUSED;
  const what = multiline ? "no control characters but line breaks and tabs" : "no control characters";
  const limits = minLength > 0 ? `${minLength} to ${maxLength} characters` : `at most ${maxLength} characters`;
  return Type.String({
    ...rest,
    description: [rest.description, `${limits}; ${what}, no lone surrogates`].filter(Boolean).join(". "),
    pattern: `^(?:[^${refused}${SURROGATES}]|${SURROGATE_PAIR}){${minLength},${maxLength}}$`,
    error: `must be ${limits}, with ${what} and no lone surrogates`,
    [DOCUMENTED_AS]: { minLength, maxLength, pattern: `^[^${refused}]*$` },
  });
}

/** The key under which a CleanText schema carries its documented form. */
export const DOCUMENTED_AS = "x-documented-as";

const REFUSED = "\\u0000-\\u001f\\u007f-\\u009f";
const MULTILINE_REFUSED = "\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f";
const SURROGATES = "\\ud800-\\udfff";
const SURROGATE_PAIR = "[\\ud800-\\udbff][\\udc00-\\udfff]";
