/**
 * The single source of metric definitions. Results files embed {@link METRIC_DEFINITIONS} (with
 * {@link METRIC_DEFINITIONS_VERSION}); the README's metric table is generated from it by
 * {@link renderMetricDefinitionsMarkdown}. Change a definition here and bump the version, never elsewhere.
 */
import { markdownTable } from 'markdown-table';

/** Bump whenever a definition below changes meaning, so runs computed under different definitions are told apart. */
export const METRIC_DEFINITIONS_VERSION = '2';

/**
 * Per-request metrics. Each yields a distribution over the described requests — measured (non-warmup), sent inside
 * the steady window (src/metrics/steady-window.ts) — whose outcome is `ok`; `itl_ms` yields one value per token, the
 * others at most one value per request. The unit ends every id.
 */
export const METRIC_IDS = [
  'ttft_ms',
  'ttfat_ms',
  'tpot_ms',
  'itl_ms',
  'e2el_ms',
  'request_output_tokens_per_s',
  'output_tokens',
  'dispatch_lag_ms',
] as const;
export type MetricId = (typeof METRIC_IDS)[number];

/** Whole-run metrics: one number per load point, computed over the steady window. */
export const RUN_METRIC_IDS = [
  'output_tokens_per_s',
  'requests_per_s',
  'total_tokens_per_s',
  'error_rate',
  'goodput_requests_per_s',
  'slo_attainment_rate',
  'output_tokens_per_s_cv',
  'usd_per_million_output_tokens',
] as const;
export type RunMetricId = (typeof RUN_METRIC_IDS)[number];

export type MetricUnit = 'ms' | 'tokens' | 'tokens/s' | 'requests/s' | 'ratio' | 'USD';

/**
 * Which direction is an improvement. `neither` marks a descriptive metric (e.g. output length, which the workload
 * sets): reported, but with no better or worse.
 */
export type BetterWhen = 'lower' | 'higher' | 'neither';

export interface MetricDefinition {
  readonly id: MetricId | RunMetricId;
  /** `request`: a distribution over the described ok requests; `run`: one value over the steady window. */
  readonly scope: 'request' | 'run';
  /** Short human name, e.g. "TTFT". */
  readonly name: string;
  readonly unit: MetricUnit;
  /** One sentence with the exact formula. Field names refer to RequestRecord (src/load/record.ts). */
  readonly definition: string;
  readonly betterWhen: BetterWhen;
  /**
   * The peer tools' names for the same quantity ("—" when they have none). A parenthesis after the name says how
   * the peer's quantity differs, when it does.
   */
  readonly vllm: string;
  readonly llmperf: string;
  readonly aiperf: string;
}

/** Every metric llm-perf-gate reports, request-scope first, in display order. */
export const METRIC_DEFINITIONS: readonly MetricDefinition[] = [
  {
    id: 'ttft_ms',
    scope: 'request',
    name: 'TTFT',
    unit: 'ms',
    definition:
      'Time to first token: firstTokenMs − sentMs, until the first chunk of generated content (answer or reasoning).',
    betterWhen: 'lower',
    vllm: 'ttft_ms',
    llmperf: 'ttft_s',
    aiperf: 'time_to_first_token',
  },
  {
    id: 'ttfat_ms',
    scope: 'request',
    name: 'TTFAT',
    unit: 'ms',
    definition:
      'Time to first answer token: firstAnswerMs − sentMs, only for requests whose reasoning came before the answer.',
    betterWhen: 'lower',
    vllm: '—',
    llmperf: '—',
    aiperf: 'time_to_first_output_token',
  },
  {
    id: 'tpot_ms',
    scope: 'request',
    name: 'TPOT',
    unit: 'ms',
    definition:
      'Time per output token after the first: (E2EL − TTFT) ÷ (outputTokens − 1), for outputTokens ≥ 2.',
    betterWhen: 'lower',
    vllm: 'tpot_ms',
    llmperf: 'inter_token_latency_s (differs: includes TTFT, ÷ outputTokens)',
    aiperf: 'inter_token_latency',
  },
  {
    id: 'itl_ms',
    scope: 'request',
    name: 'ITL',
    unit: 'ms',
    definition:
      'Inter-token latency: for each token-bearing chunk after the first, (its arrival − the previous token-bearing ' +
      "chunk's arrival) ÷ its tokens, counted once per token it carries.",
    betterWhen: 'lower',
    vllm: 'itl_ms (per chunk)',
    llmperf: '—',
    aiperf: 'inter_chunk_latency (per chunk)',
  },
  {
    id: 'e2el_ms',
    scope: 'request',
    name: 'E2EL',
    unit: 'ms',
    definition: 'End-to-end latency: endMs − sentMs, until the terminal event of the stream.',
    betterWhen: 'lower',
    vllm: 'e2el_ms',
    llmperf: 'end_to_end_latency_s',
    aiperf: 'request_latency',
  },
  {
    id: 'request_output_tokens_per_s',
    scope: 'request',
    name: 'Request output throughput',
    unit: 'tokens/s',
    definition: 'Output tokens per second of one request: outputTokens ÷ (E2EL ÷ 1000), TTFT included.',
    betterWhen: 'higher',
    vllm: '—',
    llmperf: 'request_output_throughput_token_per_s',
    aiperf: 'output_token_throughput_per_user (differs: 1 ÷ TPOT, excludes TTFT)',
  },
  {
    id: 'output_tokens',
    scope: 'request',
    name: 'Output tokens',
    unit: 'tokens',
    definition:
      'Output tokens of one request: outputTokens, counted by usage, else the tokenizer, else chunk counts.',
    betterWhen: 'neither',
    vllm: '—',
    llmperf: 'number_output_tokens',
    aiperf: 'output_sequence_length',
  },
  {
    id: 'dispatch_lag_ms',
    scope: 'request',
    name: 'Dispatch lag',
    unit: 'ms',
    definition: 'Load-generator lag: sentMs − scheduledMs, how long after its due time the request was sent.',
    betterWhen: 'lower',
    vllm: '—',
    llmperf: '—',
    aiperf: '—',
  },
  {
    id: 'output_tokens_per_s',
    scope: 'run',
    name: 'Output throughput',
    unit: 'tokens/s',
    definition:
      'Output tokens of ok requests whose chunks arrived inside the steady window ÷ its seconds, the window running ' +
      'from the first measured send + warmup_s to the last measured send − cooldown_s (with cooldown_s 0: to the ' +
      'last measured end).',
    betterWhen: 'higher',
    vllm: 'output_throughput (equal when nothing is trimmed)',
    llmperf: 'mean_output_throughput_token_per_s',
    aiperf: 'output_token_throughput',
  },
  {
    id: 'requests_per_s',
    scope: 'run',
    name: 'Request throughput',
    unit: 'requests/s',
    definition: 'Number of ok requests that ended inside the steady window ÷ its seconds.',
    betterWhen: 'higher',
    vllm: 'request_throughput',
    llmperf: 'num_completed_requests_per_min (per minute)',
    aiperf: 'request_throughput',
  },
  {
    id: 'total_tokens_per_s',
    scope: 'run',
    name: 'Total token throughput',
    unit: 'tokens/s',
    definition:
      '(Σ inputTokens of ok requests that ended inside the steady window + output tokens as output_tokens_per_s) ÷ ' +
      'its seconds.',
    betterWhen: 'higher',
    vllm: 'total_token_throughput',
    llmperf: '—',
    aiperf: 'total_token_throughput',
  },
  {
    id: 'error_rate',
    scope: 'run',
    name: 'Error rate',
    unit: 'ratio',
    definition:
      '(error + cut_off requests) ÷ measured requests sent inside the steady window, a fraction from 0 to 1.',
    betterWhen: 'lower',
    vllm: '—',
    llmperf: 'error_rate',
    aiperf: 'request_error_rate (percent)',
  },
  {
    id: 'goodput_requests_per_s',
    scope: 'run',
    name: 'Goodput',
    unit: 'requests/s',
    definition:
      'Requests sent inside the steady window that ended ok with TTFT, TPOT and E2EL each at most its slo objective ' +
      '(those set; TPOT 0 below 2 output tokens, as vLLM) ÷ the window seconds.',
    betterWhen: 'higher',
    vllm: 'request_goodput',
    llmperf: '—',
    aiperf: 'goodput',
  },
  {
    id: 'slo_attainment_rate',
    scope: 'run',
    name: 'SLO attainment',
    unit: 'ratio',
    definition:
      'Requests meeting the slo as for goodput ÷ all measured requests sent inside the steady window, failed and ' +
      'cut-off ones included.',
    betterWhen: 'higher',
    vllm: '—',
    llmperf: '—',
    aiperf: '—',
  },
  {
    id: 'output_tokens_per_s_cv',
    scope: 'run',
    name: 'Throughput variation',
    unit: 'ratio',
    definition:
      'Coefficient of variation (population stddev ÷ mean) of output tokens/s by chunk arrival in equal time slices ' +
      'of the steady window up to its last send: 10 slices, or about 5 s ones past 50 s.',
    betterWhen: 'lower',
    vllm: '—',
    llmperf: '—',
    aiperf: '—',
  },
  {
    id: 'usd_per_million_output_tokens',
    scope: 'run',
    name: 'Cost',
    unit: 'USD',
    definition:
      'Per 1M output tokens: usd_per_hour ÷ (output_tokens_per_s × 3600) × 10⁶, or with token prices (input price × ' +
      'input tokens + output price × output tokens) ÷ output tokens over the ok requests of the steady window.',
    betterWhen: 'lower',
    vllm: '—',
    llmperf: '—',
    aiperf: '—',
  },
];

/** The definition of one metric. Throws when `id` is unknown (a caller bug, e.g. a typo in a gate config). */
export function metricDefinition(id: MetricId | RunMetricId): MetricDefinition {
  const found = METRIC_DEFINITIONS.find((d) => d.id === id);
  if (found === undefined) throw new Error(`unknown metric id "${String(id)}"`);
  return found;
}

/** Wraps a peer name (the leading identifier) in backticks, leaving "—" and any qualifier in plain text. */
function peerCell(peer: string): string {
  const match = /^([A-Za-z0-9_]+)(.*)$/.exec(peer);
  return match === null ? peer : `\`${match[1]}\`${match[2]}`;
}

/** A table cell: pipes would end the cell early in GitHub-flavoured markdown. */
function cell(text: string): string {
  return text.replaceAll('|', '\\|');
}

/**
 * The README's metric table (GitHub-flavoured markdown, no trailing newline):
 * metric | unit | definition | vLLM | LLMPerf | AIPerf, one row per entry of {@link METRIC_DEFINITIONS}.
 */
export function renderMetricDefinitionsMarkdown(): string {
  const rows = METRIC_DEFINITIONS.map((d) =>
    [
      `\`${d.id}\` (${d.name})`,
      d.unit,
      d.definition,
      peerCell(d.vllm),
      peerCell(d.llmperf),
      peerCell(d.aiperf),
    ].map(cell),
  );
  return markdownTable([['metric', 'unit', 'definition', 'vLLM', 'LLMPerf', 'AIPerf'], ...rows], {
    alignDelimiters: false,
  });
}
