// Command-line options of the bench scripts that take their own flags (`bun run bench`'s are in args.ts).

/** The value after `--<name>`, or undefined when the flag is absent. */
export const flagValue = (argv: readonly string[], name: string): string | undefined => {
  const at = argv.indexOf(`--${name}`);
  return at >= 0 ? argv[at + 1] : undefined;
};

/** `--<name> N`: a whole number from 1 to `max`, `fallback` when absent; anything else stops the script naming the flag. */
export function wholeFlag(argv: readonly string[], name: string, fallback: number, max: number): number {
  const raw = flagValue(argv, name);
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > max) throw new Error(`--${name}: a whole number from 1 to ${max}`);
  return value;
}
