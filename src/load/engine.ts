/**
 * The load engine. One load point runs either
 * - closed loop: exactly `concurrency` requests in flight, each worker sending its next request as soon as its last
 *   one finished; or
 * - open loop: requests sent on a seeded arrival schedule (constant, Poisson or gamma gaps, optional ramp-up) whatever
 *   the endpoint does, optionally capped at `max_in_flight` (a capped request waits, and its dispatch lag shows it).
 * Warmup requests go first in the same loop and are flagged so metrics exclude them; the measured phase (and a
 * duration run's clock) starts when the first measured request is sent, so it starts in steady state.
 *
 * A duration run stops sending at the deadline and lets in-flight requests finish for `grace_s`; those still running
 * then are cut off and recorded as such. Cancelling the run's signal stops sending, aborts every in-flight request and
 * resolves with everything that finished (each record was already handed to `onRecord` as it finished).
 */
import type { Clock, Provider, ProviderRequest } from '../providers/types.js';
import type { Workload } from '../workload/types.js';
import { arrivalSchedule } from './arrivals.js';
import type { LoadShape, ScenarioPoint } from './points.js';
import type { RequestRecord } from './record.js';
import { AbortReason, RequestRecorder, type AbortCause } from './recorder.js';
import { startSelfCheck, type SelfCheckFigures } from './self-check.js';

export interface EngineOptions {
  readonly point: ScenarioPoint;
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

/** What the engine saw of its own behaviour, for self-validation. */
export interface EngineFigures {
  /** Most requests in flight at once. */
  readonly peakInFlight: number;
  /** Open loop: when the first and last measured requests were due and actually sent (ms, scenario clock). */
  readonly schedule?: {
    readonly firstDueMs: number;
    readonly lastDueMs: number;
    readonly firstSentMs: number;
    readonly lastSentMs: number;
    readonly sent: number;
  };
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
  /** When the last measured request was sent, relative to the scenario start (the load tails off after it). */
  readonly lastSendMs: number;
  readonly endMs: number;
  readonly selfCheck: SelfCheckFigures;
  readonly engine: EngineFigures;
}

export interface RunningScenario {
  readonly live: LiveStats;
  readonly done: Promise<ScenarioRun>;
}

interface Active {
  readonly controller: AbortController;
  readonly recorder: RequestRecorder;
}

interface Item {
  readonly request: ProviderRequest;
  readonly warmup: boolean;
}

/** The last stretch before an open-loop request is due is waited out with setImmediate, not a ~1 ms timer. */
const SPIN_MS = 1.5;

export function runScenario(options: EngineOptions): RunningScenario {
  const { point, workload, provider, clock } = options;
  const scenario = point.scenario;
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
  let peakInFlight = 0;
  let lastSendAt: number | undefined;
  const slotWaiters: (() => void)[] = [];

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
    for (const wake of slotWaiters.splice(0)) wake();
  };

  const origin = clock();

  const sendOne = async (request: ProviderRequest, warmup: boolean, scheduledAt: number): Promise<void> => {
    const recorder = new RequestRecorder(
      {
        scenario: point.name,
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
    if (active.size > peakInFlight) peakInFlight = active.size;
    const timer = setTimeout(() => abortRequest(a, 'timeout'), timeoutMs);
    const sentAt = clock();
    recorder.markSent(sentAt);
    if (!warmup) lastSendAt = sentAt;
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
      slotWaiters.shift()?.();
    }
    // Finishing the record (token counts, the JSONL line) waits for the next turn, so a closed-loop worker sends its
    // next request first: the slot is refilled as soon as it frees up.
    finishing.add(
      new Promise<void>((resolve) =>
        setImmediate(() => {
          const record = recorder.finish(options.countTokens);
          records.push(record);
          if (!warmup) {
            live.done++;
            if (record.outcome !== 'ok') live.errors++;
            else live.outputTokens += record.outputTokens;
          }
          options.onRecord?.(record);
          resolve();
        }),
      ),
    );
  };
  /** Records being finished; the run awaits them all before it returns. */
  const finishing = new Set<Promise<void>>();

  let measuredStart: number | undefined;
  let deadlineAt: number | undefined;
  let deadlineTimer: NodeJS.Timeout | undefined;
  let cutoffTimer: NodeJS.Timeout | undefined;

  /** The first measured request is being sent: the measured phase (and a duration run's clock) starts now. */
  const startMeasuring = (now: number): void => {
    measuredStart = now;
    live.phase = 'measured';
    live.measuredStartAt = now;
    if (scenario.duration_s === undefined) return;
    deadlineAt = now + scenario.duration_s * 1000;
    live.deadlineAt = deadlineAt;
    // In-flight requests may finish for grace_s after the deadline; then they are cut off.
    deadlineTimer = setTimeout(() => {
      live.phase = 'draining';
      cutoffTimer = setTimeout(() => abortAll('cutoff'), scenario.grace_s * 1000);
    }, scenario.duration_s * 1000);
  };

  /**
   * The sequence: warmup requests, then measured ones, until the count. Building a request (prompt synthesis) is kept
   * apart from admitting it, so the open loop can build the next request while it waits for its due time.
   */
  let cursor = 0;
  const take = (): Item | undefined => {
    if (stopSending) return undefined;
    const i = cursor;
    if (i < workload.warmupCount) {
      cursor++;
      return { request: workload.warmup(i), warmup: true };
    }
    const m = i - workload.warmupCount;
    if (workload.count !== undefined && m >= workload.count) return undefined;
    cursor++;
    return { request: workload.measured(m), warmup: false };
  };
  /** May `item` start at `now`? The first measured request starts the measured phase; none starts after the deadline. */
  const admit = (item: Item, now: number): boolean => {
    if (stopSending) return false;
    if (item.warmup) return true;
    // Whichever measured request goes first (workers build ahead, so not always index 0) starts the measured phase.
    if (measuredStart === undefined) startMeasuring(now);
    else if (deadlineAt !== undefined && now >= deadlineAt) return false;
    return true;
  };

  const total =
    workload.count === undefined ? Number.POSITIVE_INFINITY : workload.warmupCount + workload.count;

  const closedLoop = async (concurrency: number): Promise<void> => {
    // One request is built ahead, while the others stream, so the next slot to free up sends at once. A single shared
    // slot (not one per worker) keeps the sequence in order: warmup first, then measured requests by index.
    let ahead: Item | undefined | null = null; // null: nothing built yet; undefined: the sequence has ended
    const nextItem = (): Item | undefined => {
      const item = ahead === null ? take() : ahead;
      ahead = null;
      return item;
    };
    const worker = async (): Promise<void> => {
      let freeAt = clock();
      for (let item = nextItem(); item !== undefined && admit(item, clock()); item = nextItem()) {
        const sending = sendOne(item.request, item.warmup, freeAt);
        if (ahead === null) ahead = take();
        await sending;
        freeAt = clock();
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, total) }, worker));
  };

  let schedule: EngineFigures['schedule'];
  const openLoop = async (load: Extract<LoadShape, { mode: 'open' }>): Promise<void> => {
    const arrivals = arrivalSchedule(load, scenario.seed);
    const start = clock();
    const inFlight = new Set<Promise<void>>();
    let firstDue: number | undefined;
    let lastDue = 0;
    let sent = 0;
    let firstSent: number | undefined;
    for (let item = take(); item !== undefined; item = take()) {
      const due = start + arrivals.next();
      await waitUntil(due, clock, options.signal);
      if (load.maxInFlight !== undefined) {
        while (active.size >= load.maxInFlight && !stopSending) {
          await new Promise<void>((wake) => slotWaiters.push(wake));
        }
      }
      // A request due after the deadline is never sent, even if the loop runs late.
      if (!item.warmup && deadlineAt !== undefined && due >= deadlineAt) break;
      if (!admit(item, clock())) break;
      const sending = sendOne(item.request, item.warmup, due);
      if (!item.warmup) {
        firstDue ??= due;
        lastDue = due;
        firstSent ??= lastSendAt;
        sent++;
      }
      inFlight.add(sending);
      void sending.finally(() => inFlight.delete(sending));
    }
    await Promise.all(inFlight);
    if (firstDue !== undefined && firstSent !== undefined && lastSendAt !== undefined) {
      schedule = {
        firstDueMs: firstDue - origin,
        lastDueMs: lastDue - origin,
        firstSentMs: firstSent - origin,
        lastSentMs: lastSendAt - origin,
        sent,
      };
    }
  };

  const done = (async (): Promise<ScenarioRun> => {
    options.signal?.addEventListener('abort', onCancel, { once: true });
    if (options.signal?.aborted) onCancel();
    const selfCheck = startSelfCheck();
    try {
      if (point.load.mode === 'closed') await closedLoop(point.load.concurrency);
      else await openLoop(point.load);
      await Promise.all(finishing);
    } finally {
      clearTimeout(deadlineTimer);
      clearTimeout(cutoffTimer);
      options.signal?.removeEventListener('abort', onCancel);
    }
    live.phase = 'done';
    const endMs = clock() - origin;
    return {
      scenario: point.name,
      records,
      aborted,
      originAt: origin,
      measuredStartMs: measuredStart === undefined ? endMs : measuredStart - origin,
      lastSendMs: lastSendAt === undefined ? endMs : lastSendAt - origin,
      endMs,
      selfCheck: selfCheck.stop(),
      engine: { peakInFlight, ...(schedule ? { schedule } : {}) },
    };
  })();

  return { live, done };
}

/**
 * Resolves at `due` on `clock`: a timer for the bulk of the wait, then setImmediate turns for the last
 * {@link SPIN_MS}, because Node's timers fire up to a millisecond late. I/O callbacks still run between the turns.
 */
export function waitUntil(due: number, clock: Clock, signal?: AbortSignal): Promise<void> {
  if (clock() >= due || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const spin = (): void => {
      if (clock() >= due || signal?.aborted) resolve();
      else setImmediate(spin);
    };
    const remaining = due - clock();
    if (remaining > SPIN_MS) setTimeout(spin, remaining - SPIN_MS);
    else setImmediate(spin);
  });
}
