/**
 * A simulation study of the gate: synthetic runs with known truth, gated with the real code, to measure how often an
 * unchanged endpoint FAILs (A/A) and how often a real regression is caught (power). test/gate/study.test.ts and
 * study-noisy.test.ts assert the rates; bench and docs scripts can call {@link runStudy} to print them.
 *
 * The synthetic endpoint (closed loop, every number per request drawn independently except the run's drift):
 * - TTFT = 200 ms × drift × exp(ttftSigma·Z): lognormal, right-skewed as TTFT under continuous batching is (requests
 *   queue behind other prefills); ttftSigma 0.3 by default (p95/p50 ≈ 1.6, a dedicated endpoint at moderate load),
 *   0.4–0.5 for heavier or more mixed load;
 * - time per output token = 25 ms × drift × exp(0.15·Z) (batch composition changes decode speed a little);
 * - output tokens ~ Normal(256, 64) rounded, within [16, 1024] (the workload's lengths, ended early or late by EOS);
 * - E2E = TTFT + (tokens − 1) × TPOT; throughput = concurrency (8) × Σ tokens ÷ Σ E2E (Little's law);
 * - each request fails with probability errorRate (0.2%: an endpoint in good health), holding its slot for its E2E;
 * - drift = exp(drift·Z) per run, shared by TTFT and decode (a slower machine or clock slows both). The default, 2%,
 *   is the high end of a dedicated endpoint measured from CI: GPU server timings repeat to about 1%, and a CI runner
 *   adds about 1 ms of client-side noise to TTFTs of tens to hundreds of ms. 3–5% is a shared or noisy endpoint.
 *   These are modelling choices, not measurements.
 * A regression of size s multiplies the current run's TTFT by 1 + s (so its p50 and p95 rise by s, and throughput
 * falls slightly as each request takes longer).
 *
 * Each pair draws a fresh history and a fresh current run; the current run is gated unchanged (A/A) and with each
 * regression applied to the same requests (common random numbers, so the power curve is smooth in s).
 */
import { summarizeRun, type CurrentRun } from './runs.js';
import { createRng, type Rng } from './rng.js';
import { DEFAULT_GATE_SETTINGS, type GateSettings } from './settings.js';
import { analyzeHistory, compareWithHistory, type GateStatus } from './verdict.js';

export interface StudyOptions {
  /** Independent history/current pairs. */
  readonly pairs: number;
  /** Measured requests per run. */
  readonly requests: number;
  /** Runs in each baseline history. */
  readonly historyRuns: number;
  /** Run-to-run drift: standard deviation of the log of each run's speed factor. */
  readonly drift: number;
  /** Per-request lognormal sigma of TTFT. */
  readonly ttftSigma: number;
  /** Probability that a request fails. */
  readonly errorRate: number;
  /** Extra slowdown of one history run (1.3: one baseline run 30% slower than the rest; 1: none). */
  readonly outlier: number;
  /** TTFT regressions (fractions) whose detection rate is measured. */
  readonly shifts: readonly number[];
  readonly seed: number;
  readonly settings: GateSettings;
}

export const DEFAULT_STUDY_OPTIONS: StudyOptions = Object.freeze({
  pairs: 500,
  requests: 200,
  historyRuns: 5,
  drift: 0.02,
  ttftSigma: 0.3,
  errorRate: 0.002,
  outlier: 1,
  shifts: Object.freeze([0.1, 0.15, 0.2, 0.3]),
  seed: 1,
  settings: DEFAULT_GATE_SETTINGS,
});

/** Rates over the pairs, as fractions. */
export interface StudyRates {
  /** Regression applied (0 for A/A). */
  readonly shift: number;
  /** Scenario FAILs (any gated metric). */
  readonly fail: number;
  /** Scenario WARNs (some metric WARN, none FAIL). */
  readonly warn: number;
  /** FAILs of the headline metric (the first gated one: TTFT p50 by default). */
  readonly headlineFail: number;
}

export interface StudyResult {
  readonly options: StudyOptions;
  /** A/A: the current run is unchanged. */
  readonly aa: StudyRates;
  /** A/A FAIL and WARN rates of each gated metric, aligned with settings.metrics. */
  readonly aaByMetric: readonly { readonly fail: number; readonly warn: number }[];
  /** One entry per options.shifts. */
  readonly power: readonly StudyRates[];
}

const CONCURRENCY = 8;

/** The per-request draws of one synthetic run, before any regression is applied. */
interface SyntheticRun {
  readonly ttft: Float64Array;
  /** E2E minus TTFT. */
  readonly decode: Float64Array;
  readonly tokens: Float64Array;
  readonly ok: Uint8Array;
}

function drawRun(rng: Rng, options: StudyOptions, slowdown: number): SyntheticRun {
  const n = options.requests;
  const drift = slowdown * Math.exp(options.drift * rng.normal());
  const run = {
    ttft: new Float64Array(n),
    decode: new Float64Array(n),
    tokens: new Float64Array(n),
    ok: new Uint8Array(n),
  };
  for (let i = 0; i < n; i++) {
    const tokens = Math.min(1024, Math.max(16, Math.round(256 + 64 * rng.normal())));
    run.ttft[i] = 200 * drift * Math.exp(options.ttftSigma * rng.normal());
    run.decode[i] = (tokens - 1) * 25 * drift * Math.exp(0.15 * rng.normal());
    run.tokens[i] = tokens;
    run.ok[i] = rng.uniform() < options.errorRate ? 0 : 1;
  }
  return run;
}

/** The gate's view of a synthetic run with its TTFT multiplied by `factor`. */
function toCurrentRun(run: SyntheticRun, factor: number): CurrentRun {
  const n = run.ttft.length;
  const ttft: number[] = [];
  const outputTokens = new Float64Array(n);
  const busyMs = new Float64Array(n);
  let tokens = 0;
  let busy = 0;
  let errors = 0;
  for (let i = 0; i < n; i++) {
    const first = (run.ttft[i] as number) * factor;
    busyMs[i] = first + (run.decode[i] as number);
    busy += busyMs[i] as number;
    if (run.ok[i] === 1) {
      ttft.push(first);
      outputTokens[i] = run.tokens[i] as number;
      tokens += run.tokens[i] as number;
    } else errors++;
  }
  return {
    samples: { ttft_ms: ttft },
    throughput: { value: (CONCURRENCY * tokens * 1000) / busy, outputTokens, busyMs },
    errors: { errors, total: n },
  };
}

interface Tally {
  fail: number;
  warn: number;
  headlineFail: number;
}

function count(tally: Tally, status: GateStatus, headline: GateStatus | undefined): void {
  if (status === 'fail') tally.fail++;
  else if (status === 'warn') tally.warn++;
  if (headline === 'fail') tally.headlineFail++;
}

/** Runs the study (defaults: {@link DEFAULT_STUDY_OPTIONS}); deterministic for given options. */
export function runStudy(overrides: Partial<StudyOptions> = {}): StudyResult {
  const options: StudyOptions = { ...DEFAULT_STUDY_OPTIONS, ...overrides };
  const { settings } = options;
  const rng = createRng(options.seed);
  const factors = [0, ...options.shifts];
  const tallies: Tally[] = factors.map(() => ({ fail: 0, warn: 0, headlineFail: 0 }));
  const byMetric = settings.metrics.map(() => ({ fail: 0, warn: 0 }));
  for (let pair = 0; pair < options.pairs; pair++) {
    const history = Array.from({ length: options.historyRuns }, (_, j) =>
      summarizeRun(toCurrentRun(drawRun(rng, options, j === 0 ? options.outlier : 1), 1)),
    );
    const analysis = analyzeHistory(history, settings);
    const current = drawRun(rng, options, 1);
    factors.forEach((shift, i) => {
      const verdict = compareWithHistory(toCurrentRun(current, 1 + shift), analysis, settings);
      count(tallies[i] as Tally, verdict.status, verdict.verdicts[0]?.status);
      if (shift !== 0) return;
      verdict.verdicts.forEach((v, m) => {
        const tally = byMetric[m] as { fail: number; warn: number };
        if (v.status !== 'pass') tally[v.status]++;
      });
    });
  }
  const rates = tallies.map((tally, i) => ({
    shift: factors[i] as number,
    fail: tally.fail / options.pairs,
    warn: tally.warn / options.pairs,
    headlineFail: tally.headlineFail / options.pairs,
  }));
  return {
    options,
    aa: rates[0] as StudyRates,
    aaByMetric: byMetric.map(({ fail, warn }) => ({
      fail: fail / options.pairs,
      warn: warn / options.pairs,
    })),
    power: rates.slice(1),
  };
}
