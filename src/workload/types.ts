/**
 * A workload is the deterministic list of requests a scenario sends. Requests are generated on demand from the seed
 * (duration runs have no fixed length), so request i is the same on every machine and in every run.
 */
import type { ProviderRequest } from '../providers/types.js';

export interface Workload {
  readonly scenario: string;
  /** Tokenizer used to size prompts and count tokens, e.g. "gpt-tokenizer@3.4.0/cl100k_base". */
  readonly tokenizer: string;
  /** sha256 (hex) of the request list and the request-shaping target and load fields. Equal fingerprints = comparable runs. */
  readonly fingerprint: string;
  /** Number of measured requests, or undefined for a duration run. */
  readonly count: number | undefined;
  /** Number of warmup requests. */
  readonly warmupCount: number;
  /** Warmup request i (0 ≤ i < warmupCount). A separate sequence: changing warmup never changes measured requests. */
  warmup(i: number): ProviderRequest;
  /** Measured request i (0 ≤ i < count, or any i ≥ 0 for duration runs). */
  measured(i: number): ProviderRequest;
}
