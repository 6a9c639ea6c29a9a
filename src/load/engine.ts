/**
 * The closed-loop load engine: keeps exactly `concurrency` requests in flight until the request count or the duration
 * is reached. Warmup requests go first in the same loop, at the same concurrency, and are flagged so metrics exclude
 * them; the measured phase (and a duration run's clock) starts when the first measured request is sent.
 *
 * A duration run stops sending at the deadline and lets in-flight requests finish for `grace_s`; those still running
 * then are cut off and recorded as such. Cancelling the run's signal stops sending, aborts every in-flight request and
 * resolves with everything that finished (each record was already handed to `onRecord` as it finished).
 */
import type { ScenarioConfig } from '../config/schema.js';
import type { Clock, Provider, ProviderRequest } from '../providers/types.js';
import type { Workload } from '../workload/types.js';
import type { RequestRecord } from './record.js';
import { AbortReason, RequestRecorder, type AbortCause } from './recorder.js';
import { startSelfCheck, type SelfCheckFigures } from './self-check.js';

export interface EngineOptions {
  readonly scenario: ScenarioConfig;
  readonly workload: Workload;
  readonly provider: Provider;
  readonly clock: Clock;
  /** The workload tokenizer (fallback output counts and the usage-vs-tokenizer check). */
  readonly countTokens: (text: string) => number;
  /** Cancels the run (SIGINT/SIGTERM). */
  readonly signal?: AbortSignal;
  /** Called as each request finishes, warmup included, in completion order (the JSONL writer). */
  readonly onRecord?: (record: RequestRecord) => void;
}

/** Live counters for progress output; read them on a timer, they are updated in place. */
export interface LiveStats {
  phase: 'warmup' | 'measured' | 'draining' | 'done';
  /** Measured requests finished (any outcome). */
  done: number;
  errors: number;
  inFlight: number;
  /** Output tokens of finished measured requests. */
  outputTokens: number;
  /** Monotonic time the measured phase began. */
  measuredStartAt: number | undefined;
  /** Measured requests planned, or undefined for a duration run. */
  total: number | undefined;
  /** Duration runs: the deadline on the monotonic clock. */
  deadlineAt: number | undefined;
}

export interface ScenarioRun {
  readonly scenario: string;
  /** Every finished request, warmup included, in completion order. */
  readonly records: RequestRecord[];
  /** Cancelled before it completed. */
  readonly aborted: boolean;
  /** Monotonic time of the scenario start (record times are relative to it). */
  readonly originAt: number;
  /** Measured phase start (first measured request sent), relative to the scenario start. */
  readonly measuredStartMs: number;
  readonly endMs: number;
  readonly selfCheck: SelfCheckFigures;
}

export interface RunningScenario {
  readonly live: LiveStats;
  readonly done: Promise<ScenarioRun>;
}

interface Active {
  readonly controller: AbortController;
  readonly recorder: RequestRecorder;
}

export function runScenario(options: EngineOptions): RunningScenario {
  const { scenario, workload, provider, clock } = options;
  const live: LiveStats = {
    phase: workload.warmupCount > 0 ? 'warmup' : 'measured',
    done: 0,
    errors: 0,
    inFlight: 0,
    outputTokens: 0,
    measuredStartAt: undefined,
    total: workload.count,
    deadlineAt: undefined,
  };
  const records: RequestRecord[] = [];
  const active = new Set<Active>();
  const timeoutMs = scenario.timeout_s * 1000;
  let stopSending = false;
  let aborted = false;

  const abortRequest = (a: Active, cause: AbortCause): void => {
    a.recorder.markAborted(cause);
    a.controller.abort(new AbortReason(cause));
  };
  const abortAll = (cause: AbortCause): void => {
    for (const a of active) abortRequest(a, cause);
  };
  const onCancel = (): void => {
    aborted = true;
    stopSending = true;
    abortAll('cancelled');
  };

  const origin = clock();

  const sendOne = async (request: ProviderRequest, warmup: boolean, scheduledAt: number): Promise<void> => {
    const recorder = new RequestRecorder(
      {
        scenario: scenario.name,
        index: request.index,
        warmup,
        requestId: request.requestId,
        inputTokens: request.inputTokens,
        requestedOutputTokens: request.maxTokens,
        originMs: origin,
        scheduledMs: scheduledAt,
      },
      request.maxTokens,
    );
    const a: Active = { controller: new AbortController(), recorder };
    active.add(a);
    live.inFlight = active.size;
    const timer = setTimeout(() => abortRequest(a, 'timeout'), timeoutMs);
    recorder.markSent(clock());
    try {
      await provider.send(request, recorder, a.controller.signal);
    } catch (err) {
      // Providers must not reject; if one does, the request is recorded as failed rather than losing the run.
      recorder.failed(
        clock(),
        'connection',
        `provider error: ${err instanceof Error ? err.message : String(err)}`,
      );
    } finally {
      clearTimeout(timer);
      active.delete(a);
      live.inFlight = active.size;
    }
    const record = recorder.finish(options.countTokens);
    records.push(record);
    if (!warmup) {
      live.done++;
      if (record.outcome !== 'ok') live.errors++;
      else live.outputTokens += record.outputTokens;
    }
    options.onRecord?.(record);
  };

  /**
   * Closed loop: `concurrency` workers, each sending the next request of the sequence as soon as its previous one
   * finished. The sequence is the warmup requests, then the measured ones, without a pause between them, so the
   * measured phase starts in steady state rather than with a burst of simultaneous arrivals.
   */
  const loop = async (deadline: { at: number | undefined }): Promise<void> => {
    const warmups = workload.warmupCount;
    const count = workload.count;
    let cursor = 0;
    const next = (): { request: ProviderRequest; warmup: boolean } | undefined => {
      if (stopSending) return undefined;
      const i = cursor;
      if (i < warmups) {
        cursor++;
        return { request: workload.warmup(i), warmup: true };
      }
      const m = i - warmups;
      if (count !== undefined && m >= count) return undefined;
      const now = clock();
      if (m === 0) startMeasuring(now, deadline);
      else if (deadline.at !== undefined && now >= deadline.at) return undefined;
      cursor++;
      return { request: workload.measured(m), warmup: false };
    };
    const worker = async (): Promise<void> => {
      let freeAt = clock();
      for (let item = next(); item !== undefined; item = next()) {
        await sendOne(item.request, item.warmup, freeAt);
        freeAt = clock();
      }
    };
    const total = count === undefined ? Number.POSITIVE_INFINITY : warmups + count;
    await Promise.all(Array.from({ length: Math.min(scenario.concurrency, total) }, worker));
  };

  let measuredStart: number | undefined;
  let deadlineTimer: NodeJS.Timeout | undefined;
  let cutoffTimer: NodeJS.Timeout | undefined;

  /** The first measured request is being sent: the measured phase (and a duration run's clock) starts now. */
  const startMeasuring = (now: number, deadline: { at: number | undefined }): void => {
    measuredStart = now;
    live.phase = 'measured';
    live.measuredStartAt = now;
    if (scenario.duration_s === undefined) return;
    deadline.at = now + scenario.duration_s * 1000;
    live.deadlineAt = deadline.at;
    // In-flight requests may finish for grace_s after the deadline; then they are cut off.
    deadlineTimer = setTimeout(() => {
      live.phase = 'draining';
      cutoffTimer = setTimeout(() => abortAll('cutoff'), scenario.grace_s * 1000);
    }, scenario.duration_s * 1000);
  };

  const done = (async (): Promise<ScenarioRun> => {
    options.signal?.addEventListener('abort', onCancel, { once: true });
    if (options.signal?.aborted) onCancel();
    const selfCheck = startSelfCheck();
    try {
      await loop({ at: undefined });
    } finally {
      clearTimeout(deadlineTimer);
      clearTimeout(cutoffTimer);
      options.signal?.removeEventListener('abort', onCancel);
    }
    live.phase = 'done';
    const endMs = clock() - origin;
    return {
      scenario: scenario.name,
      records,
      aborted,
      originAt: origin,
      measuredStartMs: measuredStart === undefined ? endMs : measuredStart - origin,
      endMs,
      selfCheck: selfCheck.stop(),
    };
  })();

  return { live, done };
}
