/** Builds RequestRecords for metric tests: an ok, measured, single-chunk request unless overridden. */
import type { RequestRecord } from '../../src/load/record.js';

let next = 0;

export function record(overrides: Partial<RequestRecord> = {}): RequestRecord {
  next += 1;
  return {
    scenario: 'chat',
    index: next,
    warmup: false,
    requestId: `req-${next}`,
    scheduledMs: 0,
    sentMs: 0,
    firstTokenMs: 100,
    endMs: 100,
    chunkMs: [100],
    chunkTokens: [1],
    inputTokens: 10,
    requestedOutputTokens: 1,
    outputTokens: 1,
    outputTokensSource: 'usage',
    outcome: 'ok',
    ...overrides,
  };
}
