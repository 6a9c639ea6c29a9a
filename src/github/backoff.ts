/**
 * Delays between retries: exponential growth with "equal jitter" (a random point in the upper half of the current
 * ceiling), so racing writers spread out but none retries immediately.
 */

/** Backoff shape. */
export interface BackoffOptions {
  /** Ceiling of the first delay. Default 400 ms. */
  readonly initialMs?: number;
  /** Largest ceiling. Default 6000 ms. */
  readonly maxMs?: number;
}

/**
 * The delay after failed attempt number `attempt` (1-based): uniform in [c/2, c] with c = min(maxMs, initialMs·2^(attempt−1)).
 * @param random A source of numbers in [0, 1); injectable for tests.
 */
export function backoffDelay(
  attempt: number,
  options: BackoffOptions = {},
  random: () => number = Math.random,
): number {
  const initial = options.initialMs ?? 400;
  const max = options.maxMs ?? 6000;
  const ceiling = Math.min(max, initial * 2 ** Math.max(0, attempt - 1));
  return ceiling / 2 + random() * (ceiling / 2);
}
