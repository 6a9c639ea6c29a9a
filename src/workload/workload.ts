/**
 * Builds a scenario's deterministic request sequences.
 *
 * Request i of a sequence is a pure function of the scenario's load fields, the sequence (warmup or measured) and i:
 * each request draws from its own streams, keyed by (seed, sequence, i, decision) for its input length, output length
 * and corpus position, so requests can be generated on demand and in any order. warmup_requests is not part of any
 * measured request, so changing it never changes them.
 *
 * Prefix caching: vLLM and SGLang reuse the KV cache of a prompt prefix already seen, which would make TTFT look
 * unrealistically low. Every prompt therefore opens with a preamble naming its request ("Request m17 of workload
 * 3f9a2c1e. ..."), unique within the scenario, followed by corpus text from a seeded word position. The workload tag
 * is a hash of the scenario's load fields (without warmup_requests), so scenarios of one run that share a seed, such as
 * a concurrency sweep, do not share prefixes either. Prompts of a repeated run are byte-identical by design: a server
 * that keeps its prefix cache between runs would serve a second run partly from cache, so a salt (config
 * prompt_salt) can be put in the preamble; it changes the prompts but not the fingerprint.
 */
import type { ScenarioConfig, TargetConfig } from '../config/schema.js';
import type { ProviderRequest } from '../providers/types.js';
import { canonicalJson } from './canonical.js';
import { loadCorpus } from './corpus.js';
import type { FingerprintParts } from './fingerprint.js';
import {
  requestListDigest,
  scenarioLoadFields,
  sha256Hex,
  targetShapeFields,
  WORKLOAD_GENERATOR_VERSION,
  workloadFingerprint,
} from './fingerprint.js';
import { lengthBounds, sampleLength } from './lengths.js';
import { synthesisePrompt } from './prompt.js';
import { rngForKey, splitUint53 } from './random.js';
import { TOKENIZER_ID } from './tokenizer.js';
import type { Workload } from './types.js';

/** Measured requests hashed into a duration run's fingerprint (it has no fixed length). */
export const DURATION_FINGERPRINT_REQUESTS = 1000;

export interface WorkloadOptions {
  /** Corpus file prompts are cut from (default: the shipped fixtures/corpus file). */
  readonly corpusPath?: string;
  /**
   * Extra members of the fingerprint's canonical object, for load shapes or layers that add what the scenario fields
   * do not carry (e.g. an arrival process). They must not use the names of {@link FingerprintParts} members.
   */
  readonly fingerprintExtra?: Readonly<Record<string, unknown>>;
  /**
   * Put in every prompt's preamble to defeat a prefix cache kept between runs (config prompt_salt). The fingerprint is
   * computed over the unsalted requests, so salted runs of one config stay comparable.
   */
  readonly salt?: string;
}

/** The two request sequences; the letter appears in request ids and preambles. */
const SEQUENCES = { measured: { id: 1, letter: 'm' }, warmup: { id: 2, letter: 'w' } } as const;
type Sequence = (typeof SEQUENCES)[keyof typeof SEQUENCES];

/** Last word of a request's RNG key: one independent stream per decision. */
const PURPOSE = { inputLength: 1, outputLength: 2, corpusPosition: 3 } as const;

/** Creates the workload of `scenario` against `target`. Reads and tokenizes the corpus on first use in the process. */
export function createWorkload(
  scenario: ScenarioConfig,
  target: TargetConfig,
  options: WorkloadOptions = {},
): Workload {
  const corpus = loadCorpus(options.corpusPath);
  const [seedLow, seedHigh] = splitUint53(scenario.seed);
  const inputBounds = lengthBounds(scenario.input_tokens);
  const outputBounds = lengthBounds(scenario.output_tokens);
  const loadFields = scenarioLoadFields(scenario);
  const { warmup_requests: _warmup, ...taggedFields } = loadFields;
  const tag = sha256Hex(canonicalJson(taggedFields)).slice(0, 8);
  const count = scenario.requests;
  const warmupCount = scenario.warmup_requests;

  const salt = options.salt ?? '';
  const build = (sequence: Sequence, index: number, salted = true): ProviderRequest => {
    const key = (purpose: number) => [seedLow, seedHigh, sequence.id, index, purpose];
    const inputTokens = sampleLength(scenario.input_tokens, inputBounds, rngForKey(key(PURPOSE.inputLength)));
    const maxTokens = sampleLength(
      scenario.output_tokens,
      outputBounds,
      rngForKey(key(PURPOSE.outputLength)),
    );
    const requestId = `lpg-${scenario.name}-${sequence.letter}${index}`;
    // The salt goes first: a prompt shorter than the preamble is cut from the preamble, and must keep it.
    const saltText = salted && salt !== '' ? `Run ${salt}, request` : 'Request';
    const preamble =
      `${saltText} ${sequence.letter}${index} of workload ${tag}. ` +
      'Read the passage below and write a detailed commentary on it.\n\nPassage:';
    const prompt = synthesisePrompt(corpus, preamble, inputTokens, rngForKey(key(PURPOSE.corpusPosition)));
    if (prompt === undefined) {
      throw new Error(
        `workload "${scenario.name}": no prompt of exactly ${inputTokens} tokens found for ${requestId}`,
      );
    }
    return {
      index,
      requestId,
      prompt,
      inputTokens,
      maxTokens,
      forceOutputLength: scenario.force_output_length,
    };
  };

  const checkIndex = (kind: string, index: number, limit: number | undefined): void => {
    if (!Number.isInteger(index) || index < 0 || (limit !== undefined && index >= limit)) {
      const range = limit === undefined ? 'a non-negative integer' : `an integer in [0, ${limit})`;
      throw new RangeError(`workload "${scenario.name}": ${kind} request index ${index} is not ${range}`);
    }
  };

  let fingerprint: string | undefined;
  const computeFingerprint = (): string => {
    const hashed = count ?? DURATION_FINGERPRINT_REQUESTS;
    const parts: FingerprintParts = {
      generator: WORKLOAD_GENERATOR_VERSION,
      tokenizer: TOKENIZER_ID,
      corpus: corpus.sha256,
      scenario: loadFields,
      target: targetShapeFields(target),
      requests: requestListDigest(generate(hashed, (i) => build(SEQUENCES.measured, i, false))),
    };
    const extra = options.fingerprintExtra ?? {};
    const clash = Object.keys(extra).find((key) => key in parts);
    if (clash !== undefined) {
      throw new Error(
        `workload "${scenario.name}": fingerprintExtra member "${clash}" would replace a built-in member`,
      );
    }
    return workloadFingerprint({ ...extra, ...parts });
  };

  return {
    scenario: scenario.name,
    tokenizer: TOKENIZER_ID,
    count,
    warmupCount,
    /** Computed on first read: it generates every hashed request (all of a count run, the first 1000 otherwise). */
    get fingerprint(): string {
      fingerprint ??= computeFingerprint();
      return fingerprint;
    },
    warmup(i: number): ProviderRequest {
      checkIndex('warmup', i, warmupCount);
      return build(SEQUENCES.warmup, i);
    },
    measured(i: number): ProviderRequest {
      checkIndex('measured', i, count);
      return build(SEQUENCES.measured, i);
    },
  };
}

function* generate<T>(n: number, make: (i: number) => T): Generator<T> {
  for (let i = 0; i < n; i++) yield make(i);
}
