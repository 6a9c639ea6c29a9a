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

const awsRegion = z
  .string()
  .regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, 'expected an AWS region such as "us-east-1"')
  .describe('AWS region. Credentials come only from the SDK default chain (env, profile, OIDC role).');

const awsEndpointUrl = z
  .url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' })
  .optional()
  .describe('Override the AWS endpoint (VPC endpoints, or a local test server).');

export const bedrockTargetSchema = z
  .strictObject({
    provider: z.literal('bedrock'),
    model_id: z
      .string()
      .min(1)
      .describe(
        'Model id, inference profile id or ARN (e.g. an imported model arn:aws:bedrock:...:imported-model/...).',
      ),
    region: awsRegion,
    api: z
      .enum(['converse', 'invoke'])
      .default('converse')
      .describe(
        'converse = ConverseStream; invoke = InvokeModelWithResponseStream (imported custom models).',
      ),
    invoke_body: z
      .enum(['llama', 'openai', 'template'])
      .default('llama')
      .describe(
        'api: invoke request body shape: llama = {prompt, max_gen_len}; openai = {messages, max_tokens}; ' +
          'template = body_template with {{prompt}} and {{max_tokens}} placeholders.',
      ),
    body_template: z
      .record(z.string(), z.unknown())
      .optional()
      .describe(
        'JSON body for invoke_body: template; string values "{{prompt}}" and "{{max_tokens}}" are replaced.',
      ),
    extra_body: z
      .record(z.string(), z.unknown())
      .default({})
      .describe('converse: additionalModelRequestFields; invoke: fields merged into the body.'),
    inference_config: z
      .record(z.string(), z.unknown())
      .default({})
      .describe('converse: inferenceConfig fields besides maxTokens (e.g. temperature: 0).'),
    http: z
      .strictObject({
        handler: z
          .enum(['http2', 'http1'])
          .default('http2')
          .describe(
            'http2 = the SDK default, which opens a new HTTP/2 connection for every stream (connection setup counts in ' +
              'TTFT); http1 = a keep-alive pool of reused connections.',
          ),
        max_connections: z
          .number()
          .int()
          .positive()
          .optional()
          .describe(
            'http1: socket pool size (default: the concurrency). http2: not used (one connection per stream).',
          ),
      })
      .prefault({})
      .describe('How the AWS SDK reaches Bedrock.'),
    endpoint_url: awsEndpointUrl,
  })
  .refine((t) => t.invoke_body !== 'template' || t.body_template !== undefined, {
    message: 'invoke_body: template needs body_template',
    path: ['body_template'],
  })
  .describe('Amazon Bedrock (foundation models, inference profiles, Custom Model Import).');

export const sagemakerTargetSchema = z
  .strictObject({
    provider: z.literal('sagemaker'),
    endpoint_name: z.string().min(1).describe('SageMaker real-time endpoint name.'),
    region: awsRegion,
    inference_component: z
      .string()
      .min(1)
      .optional()
      .describe('Inference component name, for multi-model endpoints.'),
    payload: z
      .enum(['tgi', 'messages'])
      .default('tgi')
      .describe(
        'tgi = {inputs, parameters: {max_new_tokens, details}, stream} (TGI / LMI containers); ' +
          'messages = OpenAI-style {messages, max_tokens, stream}.',
      ),
    extra_body: z
      .record(z.string(), z.unknown())
      .default({})
      .describe('tgi: merged into parameters; messages: merged into the body.'),
    max_connections: z
      .number()
      .int()
      .positive()
      .optional()
      .describe('Socket pool size (default: the concurrency).'),
    endpoint_url: awsEndpointUrl,
  })
  .describe('An Amazon SageMaker real-time endpoint (InvokeEndpointWithResponseStream).');

export const tgiTargetSchema = z
  .strictObject({
    provider: z.literal('tgi'),
    base_url: z
      .url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' })
      .describe('Base URL of the TGI server (e.g. http://127.0.0.1:8080); /generate_stream is appended.'),
    api_key: z.string().min(1).optional().describe('Bearer token. Never logged or written to results.'),
    headers: z
      .record(z.string(), z.string())
      .default({})
      .describe('Extra request headers. Values are treated as secrets and redacted in results.'),
    extra_body: z
      .record(z.string(), z.unknown())
      .default({})
      .describe('Fields merged into parameters (e.g. temperature, top_p).'),
    max_connections: z
      .number()
      .int()
      .positive()
      .optional()
      .describe('Connection pool size (default: the concurrency).'),
    tls: tlsSchema.optional(),
  })
  .describe("Text Generation Inference's native /generate_stream API.");

export const targetSchema = z.discriminatedUnion('provider', [
  openaiTargetSchema,
  bedrockTargetSchema,
  sagemakerTargetSchema,
  tgiTargetSchema,
]);

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

const positiveNumber = z.number().positive();

export const sloSchema = z
  .strictObject({
    ttft_ms: positiveNumber.optional().describe('A request meets the SLO only if its TTFT is at most this.'),
    tpot_ms: positiveNumber.optional().describe('… and its TPOT is at most this.'),
    e2el_ms: positiveNumber.optional().describe('… and its end-to-end latency is at most this.'),
  })
  .refine((s) => s.ttft_ms !== undefined || s.tpot_ms !== undefined || s.e2el_ms !== undefined, {
    message: 'give at least one of ttft_ms, tpot_ms, e2el_ms',
  })
  .describe(
    'Per-request latency objectives: goodput counts the requests meeting all of them (failed requests count as missing); ' +
      'a sweep reports the highest throughput whose p95 TTFT and TPOT stay within them (capacity).',
  );

export const costSchema = z
  .strictObject({
    usd_per_hour: positiveNumber.optional().describe('Price of the serving instance(s) per hour.'),
    usd_per_million_input_tokens: z.number().nonnegative().optional().describe('Token pricing: input.'),
    usd_per_million_output_tokens: z.number().nonnegative().optional().describe('Token pricing: output.'),
  })
  .refine(
    (c) =>
      (c.usd_per_hour !== undefined) !==
      (c.usd_per_million_input_tokens !== undefined || c.usd_per_million_output_tokens !== undefined),
    { message: 'give either usd_per_hour or per-million-token prices, not both and not neither' },
  )
  .describe('Optional price, to report the cost per 1M output tokens at each load point.');

const oneOrMany = <T extends z.ZodType>(item: T) => z.union([item, z.array(item).min(1).max(32)]);

export const scenarioSchema = z
  .strictObject({
    name: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'expected letters, digits, ".", "_" or "-"')
      .describe('Scenario name, used in reports and the baseline.'),
    concurrency: oneOrMany(positiveInt)
      .optional()
      .describe(
        'Closed loop: exactly this many requests in flight. A list sweeps the levels (same prompts at each).',
      ),
    rate: oneOrMany(positiveNumber)
      .optional()
      .describe(
        'Open loop: requests per second, sent on schedule whatever the endpoint does. A list sweeps the rates.',
      ),
    arrival: z
      .enum(['constant', 'poisson', 'gamma'])
      .default('poisson')
      .describe(
        'Open loop: inter-arrival times: constant, poisson (exponential gaps) or gamma (see burstiness).',
      ),
    burstiness: positiveNumber
      .default(1)
      .describe(
        'Open loop, arrival gamma: shape of the gamma gaps; 1 is Poisson, below 1 burstier, above 1 smoother.',
      ),
    ramp_up_s: z
      .number()
      .nonnegative()
      .default(0)
      .describe(
        'Open loop: raise the rate linearly from 0 to its target over this many seconds (excluded from metrics, like warmup_s).',
      ),
    max_in_flight: positiveInt
      .optional()
      .describe(
        'Open loop: never more than this many requests in flight; late ones wait (their dispatch lag shows it).',
      ),
    requests: positiveInt.optional().describe('Measured request count (give this or duration_s).'),
    duration_s: z
      .number()
      .positive()
      .optional()
      .describe('Measured duration in seconds (give this or requests).'),
    warmup_requests: nonNegativeInt
      .default(0)
      .describe('Requests sent before measuring; excluded from metrics.'),
    warmup_s: z
      .number()
      .nonnegative()
      .default(0)
      .describe(
        'Also exclude requests sent in the first seconds of the measured phase (steady state by time).',
      ),
    cooldown_s: z
      .number()
      .nonnegative()
      .default(0)
      .describe(
        'Exclude requests sent in the last seconds before sending stopped (the load tails off after it).',
      ),
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
    slo: sloSchema.optional(),
    cost: costSchema.optional(),
  })
  .superRefine((s, ctx) => {
    if ((s.requests === undefined) === (s.duration_s === undefined)) {
      ctx.addIssue({
        code: 'custom',
        message: 'give exactly one of requests or duration_s',
        path: ['requests'],
      });
    }
    if ((s.concurrency === undefined) === (s.rate === undefined)) {
      ctx.addIssue({
        code: 'custom',
        message: 'give exactly one of concurrency (closed loop) or rate (open loop)',
        path: ['concurrency'],
      });
    }
    if (s.concurrency !== undefined) {
      for (const key of ['max_in_flight'] as const) {
        if (s[key] !== undefined) {
          ctx.addIssue({
            code: 'custom',
            message: `${key} applies to an open loop (rate), not concurrency`,
            path: [key],
          });
        }
      }
      if (s.ramp_up_s > 0) {
        ctx.addIssue({
          code: 'custom',
          message: 'ramp_up_s applies to an open loop (rate)',
          path: ['ramp_up_s'],
        });
      }
    }
    if (s.arrival !== 'gamma' && s.burstiness !== 1) {
      ctx.addIssue({ code: 'custom', message: 'burstiness applies to arrival: gamma', path: ['burstiness'] });
    }
  })
  .describe('One named load profile.');

const fraction = (what: string) => z.number().gt(0).lt(1).describe(what);

export const gatedMetricSchema = z
  .strictObject({
    metric: z
      .enum([
        'ttft_ms',
        'ttfat_ms',
        'tpot_ms',
        'e2el_ms',
        'request_output_tokens_per_s',
        'output_tokens_per_s',
        'error_rate',
      ])
      .describe(
        'Metric id (see the README metric table). ITL is not gated per token: gate tpot_ms, its per-request mean.',
      ),
    statistic: z
      .enum(['p50', 'p90', 'p95', 'p99', 'mean'])
      .optional()
      .describe(
        'Statistic of a per-request metric (required for them; not used for output_tokens_per_s and error_rate).',
      ),
    tolerance: fraction(
      'Largest tolerated regression: a fraction of the baseline (0.1 = 10%), or for error_rate an absolute rise (0.01 = one point).',
    ),
    max: z
      .number()
      .nonnegative()
      .optional()
      .describe(
        'Absolute limit for lower-is-better metrics (an SLO in ms; for error_rate a fraction): FAIL above it.',
      ),
    min: z
      .number()
      .nonnegative()
      .optional()
      .describe('Absolute limit for higher-is-better metrics (e.g. output_tokens_per_s): FAIL below it.'),
  })
  .superRefine((g, ctx) => {
    const runLevel = g.metric === 'output_tokens_per_s' || g.metric === 'error_rate';
    if (runLevel && g.statistic !== undefined) {
      ctx.addIssue({
        code: 'custom',
        message: `${g.metric} is one number per run: remove statistic`,
        path: ['statistic'],
      });
    }
    if (!runLevel && g.statistic === undefined) {
      ctx.addIssue({
        code: 'custom',
        message: `${g.metric} needs a statistic (p50, p90, p95, p99 or mean)`,
        path: ['statistic'],
      });
    }
    const higherIsBetter = g.metric === 'output_tokens_per_s' || g.metric === 'request_output_tokens_per_s';
    if (higherIsBetter && g.max !== undefined) {
      ctx.addIssue({
        code: 'custom',
        message: `${g.metric} is better when higher: use min, not max`,
        path: ['max'],
      });
    }
    if (!higherIsBetter && g.min !== undefined) {
      ctx.addIssue({
        code: 'custom',
        message: `${g.metric} is better when lower: use max, not min`,
        path: ['min'],
      });
    }
  })
  .describe('One gated metric.');

export const gateSchema = z
  .strictObject({
    metrics: z
      .array(gatedMetricSchema)
      .min(1)
      .optional()
      .superRefine((metrics, ctx) => {
        const seen = new Set<string>();
        (metrics ?? []).forEach((m, i) => {
          const key = `${m.metric} ${m.statistic ?? ''}`.trim();
          if (seen.has(key))
            ctx.addIssue({ code: 'custom', message: `${key} is gated twice`, path: [i, 'metric'] });
          seen.add(key);
        });
      })
      .describe('Gated metrics (default: TTFT p50 10%, TTFT p95 15%, output tokens/s 10%, error rate ≤ 1%).'),
    alpha: z
      .number()
      .gt(0)
      .lt(0.5)
      .optional()
      .describe('Familywise one-sided significance level of a FAIL, Holm-adjusted across the gated metrics.'),
    confidence: fraction('Two-sided level of the confidence intervals shown in the report.').optional(),
    noise_floor: z
      .number()
      .nonnegative()
      .optional()
      .describe(
        'Run-to-run variation assumed while the history has fewer than min_history_runs runs (0.05 = 5%).',
      ),
    min_history_runs: z
      .number()
      .int()
      .min(3)
      .optional()
      .describe('Baseline runs needed before the run-to-run spread is measured from the history.'),
    history: z
      .number()
      .int()
      .min(1)
      .max(200)
      .default(20)
      .describe('Accepted runs kept per scenario in the baseline file.'),
    accept_label: z
      .string()
      .min(1)
      .default('perf-regression-accepted')
      .describe('A merged PR with this label appends its run to the baseline even though its gate failed.'),
  })
  .describe(
    'Regression gate settings. In a pull request they are read from the base branch, never from the PR.',
  );

export const configSchema = z
  .strictObject({
    version: z.literal(1).default(1).describe('Config format version.'),
    target: targetSchema,
    identity: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .describe(
        'What is being measured, as reports and the baseline should name it (e.g. "vLLM 0.6.3, 1×L4, Llama-3.1-8B").',
      ),
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
    gate: gateSchema.prefault({}),
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
export type BedrockTargetConfig = z.output<typeof bedrockTargetSchema>;
export type SageMakerTargetConfig = z.output<typeof sagemakerTargetSchema>;
export type TgiTargetConfig = z.output<typeof tgiTargetSchema>;
export type ScenarioConfig = z.output<typeof scenarioSchema>;
export type TokenDistribution = z.output<typeof tokenDistributionSchema>;
export type ReadinessConfig = z.output<typeof readinessSchema>;
export type GateConfig = z.output<typeof gateSchema>;
export type SloConfig = z.output<typeof sloSchema>;
export type CostConfig = z.output<typeof costSchema>;
export type GatedMetricConfig = z.output<typeof gatedMetricSchema>;
