/**
 * Holm's step-down adjustment (Holm 1979) of the p-values of one scenario's gated metrics, so that the chance of any
 * false FAIL in the scenario stays at most α however many metrics are gated, without Bonferroni's loss of power.
 */

/**
 * Holm-adjusted p-values, in the input order: with p sorted ascending as p₍₁₎ … p₍ₘ₎,
 * p̃₍ᵢ₎ = min(1, max over j ≤ i of (m − j + 1)·p₍ⱼ₎). Rejecting where p̃ ≤ α is Holm's procedure at level α.
 * Ties keep their input order. Throws a RangeError naming the first p-value outside [0, 1].
 */
export function holmAdjust(pValues: readonly number[]): number[] {
  pValues.forEach((p, i) => {
    if (!(p >= 0 && p <= 1)) throw new RangeError(`p-value ${i} must be within [0, 1], got ${p}`);
  });
  const m = pValues.length;
  const order = pValues
    .map((_, i) => i)
    .sort((i, j) => (pValues[i] as number) - (pValues[j] as number) || i - j);
  const adjusted = new Array<number>(m);
  let running = 0;
  order.forEach((index, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * (pValues[index] as number)));
    adjusted[index] = running;
  });
  return adjusted;
}
