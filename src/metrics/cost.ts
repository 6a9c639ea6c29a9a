/**
 * Cost per 1M output tokens at a load point, from the scenario's optional `cost` price:
 * - instance pricing (`usd_per_hour`): usd_per_hour ÷ (output tokens/s × 3600) × 10⁶, with the steady window's output
 *   throughput: what a million output tokens cost when the endpoint runs at this point's pace;
 * - token pricing (`usd_per_million_input_tokens`, `usd_per_million_output_tokens`, either may be left out as 0):
 *   (input price × input tokens + output price × output tokens) ÷ output tokens, over the described ok requests,
 *   input tokens as the server reported them (usage) where it did, else as the workload tokenizer counted them. So it
 *   folds the prompt's price into the price of each output token.
 * Failed requests are left out of both (what a provider bills for them varies).
 */
import type { CostConfig } from '../config/schema.js';
import type { RequestRecord } from '../load/record.js';

export interface Cost {
  /** instance: a price per hour; tokens: per-million-token prices. */
  readonly basis: 'instance' | 'tokens';
  /** USD per 1M output tokens; null when there was no output (no throughput, no tokens). */
  readonly usdPerMillionOutputTokens: number | null;
}

/**
 * The cost of `records`' output under `price`. `records` are the described requests (only ok ones are priced) and
 * `outputTokensPerS` the steady window's output throughput.
 */
export function outputTokenCost(
  price: CostConfig,
  records: readonly RequestRecord[],
  outputTokensPerS: number | null,
): Cost {
  if (price.usd_per_hour !== undefined) {
    const perHour = price.usd_per_hour;
    return {
      basis: 'instance',
      usdPerMillionOutputTokens:
        outputTokensPerS !== null && outputTokensPerS > 0
          ? (perHour / (outputTokensPerS * 3600)) * 1e6
          : null,
    };
  }
  let inputTokens = 0;
  let outputTokens = 0;
  for (const record of records) {
    if (record.outcome !== 'ok') continue;
    inputTokens += record.inputTokensUsage ?? record.inputTokens;
    outputTokens += record.outputTokens;
  }
  const inputPrice = price.usd_per_million_input_tokens ?? 0;
  const outputPrice = price.usd_per_million_output_tokens ?? 0;
  return {
    basis: 'tokens',
    usdPerMillionOutputTokens:
      outputTokens > 0 ? (inputPrice * inputTokens + outputPrice * outputTokens) / outputTokens : null,
  };
}
