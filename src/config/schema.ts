/**
 * The configuration schema: the single definition from which the TypeScript types, the validator and the exported
 * JSON Schema (schema/config.schema.json) are all derived. Keys are snake_case because users write them in YAML.
 */
import { z } from 'zod';

const positiveInt = z.number().int().positive();
const nonNegativeInt = z.number().int().nonnegative();

export const tokenDistributionSchema = z
  .strictObject({
    mean: z.number().positive().describe('Mean length in tokens.'),
    stddev: z
      .number()
      .nonnegative()
      .default(0)
      .describe('Standard deviation in tokens (0 = every request the same).'),
    min: positiveInt.optional().describe('Smallest length sampled (default 1).'),
    max: positiveInt.optional().describe('Largest length sampled (default mean + 4 stddev).'),
  })
  .refine((d) => d.min === undefined || d.max === undefined || d.min <= d.max, {
    message: 'min must not exceed max',
    path: ['min'],
  })
  .refine((d) => d.min === undefined || d.mean >= d.min, {
    message: 'mean must be at least min',
    path: ['mean'],
  })
  .refine((d) => d.max === undefined || d.mean <= d.max, {
    message: 'mean must be at most max',
    path: ['mean'],
  })
  .describe('A token-length distribution: a normal distribution truncated to [min, max] and rounded.');

export const tlsSchema = z
  .strictObject({
    ca_file: z.string().min(1).optional().describe('PEM file with extra CA certificates to trust.'),
    insecure_skip_verify: z
      .boolean()
      .default(false)
      .describe('Accept any server certificate (self-signed test endpoints only).'),
  })
  .describe('TLS options for https:// endpoints.');

export const openaiTargetSchema = z
  .strictObject({
    provider: z.literal('openai'),
    base_url: z
      .url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' })
      .describe('Base URL of the OpenAI-compatible API, including /v1 (e.g. http://127.0.0.1:8000/v1).'),
    model: z.string().min(1).describe('Model name sent in every request body.'),
    api: z
      .enum(['chat', 'completions'])
      .default('chat')
      .describe('chat = /chat/completions, completions = /completions.'),
    api_key: z
      .string()
      .min(1)
      .optional()
      .describe('Bearer token, usually "${OPENAI_API_KEY}". Never logged or written to results.'),
    headers: z
      .record(z.string(), z.string())
      .default({})
      .describe('Extra request headers. Values are treated as secrets and redacted in results.'),
    extra_body: z
      .record(z.string(), z.unknown())
      .default({})
      .describe('Extra fields merged into every request body (e.g. temperature: 0).'),
    include_usage: z
      .boolean()
      .default(true)
      .describe(
        'Send stream_options.include_usage so the server reports token counts. Turn off for servers that reject it.',
      ),
    max_connections: positiveInt
      .optional()
      .describe(
        'Connection pool size (default: the scenario concurrency). Connections are kept alive and reused.',
      ),
    tls: tlsSchema.optional(),
  })
  .describe(
    'An OpenAI-compatible streaming endpoint (vLLM, SGLang, TGI, LMDeploy, TensorRT-LLM, Ollama, LiteLLM, ...).',
  );

export const targetSchema = z.discriminatedUnion('provider', [openaiTargetSchema]);

export const readinessSchema = z
  .strictObject({
    timeout_s: z
      .number()
      .nonnegative()
      .default(300)
      .describe('How long to wait for the endpoint to answer before giving up (scale-to-zero cold starts).'),
    initial_interval_s: z.number().positive().default(1).describe('First wait between readiness probes.'),
    max_interval_s: z
      .number()
      .positive()
      .default(15)
      .describe('Longest wait between readiness probes (backoff cap).'),
  })
  .describe('Readiness: wait for the endpoint before measuring; the wait is reported as cold-start time.');

export const scenarioSchema = z
  .strictObject({
    name: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'expected letters, digits, ".", "_" or "-"')
      .describe('Scenario name, used in reports and the baseline.'),
    concurrency: positiveInt.describe('Closed loop: exactly this many requests in flight.'),
    requests: positiveInt.optional().describe('Measured request count (give this or duration_s).'),
    duration_s: z
      .number()
      .positive()
      .optional()
      .describe('Measured duration in seconds (give this or requests).'),
    warmup_requests: nonNegativeInt
      .default(0)
      .describe('Requests sent before measuring; excluded from metrics.'),
    timeout_s: z.number().positive().default(120).describe('Per-request timeout in seconds.'),
    grace_s: z
      .number()
      .nonnegative()
      .default(30)
      .describe(
        'Duration runs: how long in-flight requests may finish after the deadline before being cut off.',
      ),
    input_tokens: tokenDistributionSchema.describe('Prompt length distribution (tokens).'),
    output_tokens: tokenDistributionSchema.describe('Requested output length distribution (max_tokens).'),
    seed: nonNegativeInt.default(0).describe('Workload seed: the same seed gives byte-identical requests.'),
    force_output_length: z
      .boolean()
      .default(false)
      .describe(
        'Send ignore_eos / min_tokens so every response has exactly max_tokens tokens (vLLM, SGLang).',
      ),
  })
  .refine((s) => (s.requests === undefined) !== (s.duration_s === undefined), {
    message: 'give exactly one of requests or duration_s',
    path: ['requests'],
  })
  .describe('One named load profile.');

export const configSchema = z
  .strictObject({
    version: z.literal(1).default(1).describe('Config format version.'),
    target: targetSchema,
    readiness: readinessSchema.prefault({}),
    prompt_salt: z
      .string()
      .max(64)
      .optional()
      .describe(
        "Text placed in every prompt's opening line so a server that keeps its prefix cache between runs cannot serve " +
          'this run from the last one (e.g. "${GITHUB_RUN_ID}"). Not part of the workload fingerprint.',
      ),
    scenarios: z.array(scenarioSchema).min(1).describe('Named load profiles, run in order.'),
  })
  .superRefine((c, ctx) => {
    const seen = new Set<string>();
    c.scenarios.forEach((s, i) => {
      if (seen.has(s.name)) {
        ctx.addIssue({
          code: 'custom',
          message: `duplicate scenario name "${s.name}"`,
          path: ['scenarios', i, 'name'],
        });
      }
      seen.add(s.name);
    });
  })
  .describe('llm-perf-gate configuration');

export type Config = z.output<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;
export type TargetConfig = z.output<typeof targetSchema>;
export type OpenAITargetConfig = z.output<typeof openaiTargetSchema>;
export type ScenarioConfig = z.output<typeof scenarioSchema>;
export type TokenDistribution = z.output<typeof tokenDistributionSchema>;
export type ReadinessConfig = z.output<typeof readinessSchema>;
