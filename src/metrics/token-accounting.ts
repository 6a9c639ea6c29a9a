/**
 * Where output token counts came from and how far the counting methods disagree: a run whose counts come from a
 * client tokenizer is less exact than one with server usage, and multi-token chunks reveal speculative decoding
 * (or a server that batches its stream), which changes what ITL means.
 */
import type { RequestRecord, TokenSource } from '../load/record.js';

export interface UsageVsTokenizer {
  /** Requests that have both a usage count and a tokenizer count of their output. */
  readonly compared: number;
  /** Of those, how many counts differ. */
  readonly differing: number;
  /** differing ÷ compared; null when nothing was compared. */
  readonly differingShare: number | null;
  /** Mean over compared requests of |usage − tokenizer| ÷ max(usage, tokenizer) (0 when both are 0); null when none. */
  readonly meanRelativeDiff: number | null;
  /** Largest such relative difference; null when nothing was compared. */
  readonly maxRelativeDiff: number | null;
}

export interface ChunkAccounting {
  /** Content chunks received. */
  readonly total: number;
  /** Chunks that carried more than one token (chunkTokens > 1). */
  readonly multiToken: number;
  /** multiToken ÷ total; null when no chunk arrived. */
  readonly multiTokenShare: number | null;
}

/** Token accounting over a set of requests (summarizeScenario passes the measured ok ones). */
export interface TokenAccounting {
  /** Σ inputTokens (workload tokenizer). */
  readonly inputTokens: number;
  /** Σ outputTokens (the counts every metric uses). */
  readonly outputTokens: number;
  /** How many requests took their output count from server usage, the client tokenizer, or chunk counts. */
  readonly outputTokensSource: Record<TokenSource, number>;
  readonly usageVsTokenizer: UsageVsTokenizer;
  readonly chunks: ChunkAccounting;
}

/** Counts token sources, usage/tokenizer disagreement and multi-token chunks over `records` (no filtering). */
export function accountTokens(records: readonly RequestRecord[]): TokenAccounting {
  const outputTokensSource: Record<TokenSource, number> = { usage: 0, tokenizer: 0, chunks: 0 };
  let inputTokens = 0;
  let outputTokens = 0;
  let compared = 0;
  let differing = 0;
  let relativeDiffSum = 0;
  let maxRelativeDiff = 0;
  let chunks = 0;
  let multiToken = 0;
  for (const record of records) {
    inputTokens += record.inputTokens;
    outputTokens += record.outputTokens;
    outputTokensSource[record.outputTokensSource] += 1;
    const usage = record.outputTokensUsage;
    const tokenizer = record.outputTokensTokenizer;
    if (usage !== undefined && tokenizer !== undefined) {
      compared += 1;
      const larger = Math.max(usage, tokenizer);
      const relative = larger === 0 ? 0 : Math.abs(usage - tokenizer) / larger;
      if (usage !== tokenizer) differing += 1;
      relativeDiffSum += relative;
      maxRelativeDiff = Math.max(maxRelativeDiff, relative);
    }
    chunks += record.chunkTokens.length;
    for (const tokens of record.chunkTokens) if (tokens > 1) multiToken += 1;
  }
  return {
    inputTokens,
    outputTokens,
    outputTokensSource,
    usageVsTokenizer: {
      compared,
      differing,
      differingShare: compared === 0 ? null : differing / compared,
      meanRelativeDiff: compared === 0 ? null : relativeDiffSum / compared,
      maxRelativeDiff: compared === 0 ? null : maxRelativeDiff,
    },
    chunks: { total: chunks, multiToken, multiTokenShare: chunks === 0 ? null : multiToken / chunks },
  };
}
