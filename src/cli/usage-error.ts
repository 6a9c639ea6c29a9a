/** A bad command line (a missing or malformed option) detected by a command; exits with the config code. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Parses a positive integer option or throws a UsageError naming it. */
export function positiveIntOption(name: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0)
    throw new UsageError(`--${name}: expected a positive integer, got "${String(value)}"`);
  return n;
}
