/**
 * The workload fingerprint: a sha256 over everything that decides which requests are sent and how they are shaped, so
 * that equal fingerprints mean two runs measured the same thing. What the gate is meant to measure (the server URL,
 * the model, credentials, headers, TLS and pool settings) is deliberately left out.
 */
import { createHash } from 'node:crypto';
import type { ScenarioConfig, TargetConfig } from '../config/schema.js';
import type { ProviderRequest } from '../providers/types.js';
import { canonicalJson } from './canonical.js';

/**
 * Version of the request generator (sampling, prompt synthesis, request ids). Bump it whenever a change alters the
 * requests produced for an unchanged config, so baselines recorded before the change are not compared as equal.
 */
export const WORKLOAD_GENERATOR_VERSION = 2;

/**
 * Scenario fields left out of the scenario member: its name, how long the engine waits for stragglers, the SLO and
 * price (they change what is reported, not what is measured), and the load-shape fields — a point's exact load
 * (`concurrency`, or `rate` with its arrival process) is hashed as the `load` member instead, so that every point of
 * a sweep shares one workload but has its own fingerprint.
 */
export const FINGERPRINT_EXCLUDED_SCENARIO_FIELDS: readonly string[] = [
  'name',
  'timeout_s',
  'grace_s',
  'slo',
  'cost',
  'concurrency',
  'rate',
  'arrival',
  'burstiness',
  'ramp_up_s',
  'max_in_flight',
];

/** Target fields that shape each request body. Everything else about the target is what the gate compares. */
export const FINGERPRINT_TARGET_FIELDS: readonly string[] = [
  'provider',
  'api',
  'extra_body',
  'include_usage',
  // Bedrock and SageMaker request shapes.
  'invoke_body',
  'body_template',
  'inference_config',
  'payload',
];

/** The members every workload fingerprint hashes; callers may add more (e.g. an open-loop arrival process). */
export interface FingerprintParts {
  readonly generator: number;
  readonly tokenizer: string;
  /** sha256 of the corpus file. */
  readonly corpus: string;
  /** Every scenario field except {@link FINGERPRINT_EXCLUDED_SCENARIO_FIELDS}, so new load-shape fields count. */
  readonly scenario: Readonly<Record<string, unknown>>;
  /** The target's {@link FINGERPRINT_TARGET_FIELDS}. */
  readonly target: Readonly<Record<string, unknown>>;
  /** {@link requestListDigest} of the hashed measured requests. */
  readonly requests: string;
}

/** sha256 (hex) of the canonical JSON of `parts` plus any extra members. */
export function workloadFingerprint(parts: FingerprintParts & Readonly<Record<string, unknown>>): string {
  return sha256Hex(canonicalJson(parts));
}

/** The load-shaping scenario fields: all of them except {@link FINGERPRINT_EXCLUDED_SCENARIO_FIELDS}. */
export function scenarioLoadFields(scenario: ScenarioConfig): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(scenario).filter(([key]) => !FINGERPRINT_EXCLUDED_SCENARIO_FIELDS.includes(key)),
  );
}

/** The request-shaping target fields ({@link FINGERPRINT_TARGET_FIELDS}) that this target has. */
export function targetShapeFields(target: TargetConfig): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(target).filter(([key]) => FINGERPRINT_TARGET_FIELDS.includes(key)),
  );
}

/**
 * sha256 (hex) over a request list, in order: one canonical JSON line per request holding what the server receives
 * from the workload (input and output lengths, forced output length, prompt). The index is implied by the order and
 * the request id is left out because it carries the scenario name.
 */
export function requestListDigest(requests: Iterable<ProviderRequest>): string {
  const hash = createHash('sha256');
  for (const r of requests) {
    hash.update(canonicalJson([r.inputTokens, r.maxTokens, r.forceOutputLength, r.prompt]));
    hash.update('\n');
  }
  return hash.digest('hex');
}

/** sha256 (hex) of a UTF-8 string. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
