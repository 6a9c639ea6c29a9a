/**
 * The timing model of a continuous-batching inference engine, independent of any wire protocol.
 *
 * At most `max_batch` sequences run at once; the rest wait in a FIFO queue. The engine runs steps back to back while
 * anything runs. At the start of a step, queued sequences are admitted up to the batch limit. The step lasts
 *
 *     (step_ms + per_seq_ms × running) × decode_slowdown + prefill × prefill_slowdown    (some sequence is decoding)
 *     (step_ms + per_seq_ms × running + prefill) × prefill_slowdown                       (a pure prefill step)
 *
 * times `slowdown` times a seeded lognormal jitter factor, where prefill = prefill_ms_per_1k_tokens × (prompt tokens
 * admitted this step) / 1000. So at concurrency 1, TTFT scales with prefill_slowdown only and ITL with
 * decode_slowdown only. At the end of a step every running sequence generates one token (newly admitted ones their
 * first), so queueing and prefill show in TTFT. Sequences that reach their length leave the batch.
 *
 * Steps are scheduled drift-corrected: a step starts at the previous step's planned end, not when its timer fired, so
 * timer lateness does not accumulate (after a stall longer than a step, the schedule restarts from now instead of
 * bursting to catch up). When nothing runs, no timer is armed.
 */
import type { SimKnobs } from './knobs.js';
import { lognormalFactor, type Rng } from './rng.js';

/** A timer firing this much before the planned end of a step counts as on time. */
const EARLY_TOLERANCE_MS = 0.05;

/** The knobs the timing model reads. */
export type BatchTiming = Pick<
  SimKnobs,
  | 'step_ms'
  | 'per_seq_ms'
  | 'prefill_ms_per_1k_tokens'
  | 'max_batch'
  | 'jitter'
  | 'slowdown'
  | 'prefill_slowdown'
  | 'decode_slowdown'
  | 'tokens_per_chunk'
>;

/** One sequence to generate. */
export interface SequenceJob {
  /** Prompt tokens: the prefill work done in the step that admits the sequence. */
  readonly inputTokens: number;
  /** Tokens to generate before the sequence finishes (≥ 1). */
  readonly outputTokens: number;
}

/**
 * Receives a sequence's output. `tokens` is called at the end of a step with the tokens that became available for
 * streaming: the first token alone, then groups of `tokens_per_chunk` (the last group may be smaller). `done` follows
 * the last group in the same tick. Neither is called after the sequence was cancelled.
 */
export interface SequenceSink {
  tokens(first: number, count: number): void;
  done(): void;
}

/** Control over a submitted sequence. */
export interface SequenceHandle {
  /** Drop the sequence (client gone): it leaves the queue or the batch at once; its sink hears nothing more. */
  cancel(): void;
}

type SequenceState = 'queued' | 'running' | 'finished' | 'cancelled';

interface Sequence {
  readonly job: SequenceJob;
  readonly sink: SequenceSink;
  state: SequenceState;
  /** Tokens generated so far. */
  generated: number;
  /** Tokens handed to the sink so far. */
  emitted: number;
}

/** A snapshot of the model's load. */
export interface BatchLoad {
  readonly running: number;
  readonly queued: number;
}

/** The continuous-batching engine. One instance per simulator; all its work happens on timers of one event loop. */
export class BatchingModel {
  readonly #timing: BatchTiming;
  readonly #jitter: Rng;
  readonly #now: () => number;
  readonly #queue: Sequence[] = [];
  /** Running sequences in admission order (a Set keeps insertion order). */
  readonly #running = new Set<Sequence>();
  #timeout: ReturnType<typeof setTimeout> | undefined;
  #immediate: ReturnType<typeof setImmediate> | undefined;
  #busy = false;
  #stopped = false;
  #plannedEnd = 0;
  #lastDuration = 0;

  /**
   * @param timing the timing knobs
   * @param jitter seeded generator for step noise
   * @param now monotonic clock in ms
   */
  constructor(timing: BatchTiming, jitter: Rng, now: () => number = () => performance.now()) {
    this.#timing = timing;
    this.#jitter = jitter;
    this.#now = now;
  }

  /** Queue a sequence. It is admitted at the start of the next step with room in the batch. */
  submit(job: SequenceJob, sink: SequenceSink): SequenceHandle {
    if (!Number.isInteger(job.outputTokens) || job.outputTokens < 1) {
      throw new RangeError(
        `BatchingModel.submit: outputTokens must be a positive integer, got ${job.outputTokens}`,
      );
    }
    if (!Number.isFinite(job.inputTokens) || job.inputTokens < 0) {
      throw new RangeError(
        `BatchingModel.submit: inputTokens must be a non-negative number, got ${job.inputTokens}`,
      );
    }
    if (this.#stopped) throw new Error('BatchingModel.submit: the model was stopped');
    const sequence: Sequence = { job, sink, state: 'queued', generated: 0, emitted: 0 };
    this.#queue.push(sequence);
    if (!this.#busy) {
      // Start on the next turn of the event loop so that requests arriving together share the first step.
      this.#busy = true;
      this.#immediate = setImmediate(() => {
        this.#immediate = undefined;
        this.#startStep(this.#now());
      });
    }
    return { cancel: () => this.#cancel(sequence) };
  }

  /** Current batch occupancy and queue length. */
  load(): BatchLoad {
    return { running: this.#running.size, queued: this.#queue.length };
  }

  /** Stop for good: clear the timer and drop every sequence without calling their sinks. */
  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timeout);
    clearImmediate(this.#immediate);
    this.#timeout = undefined;
    this.#immediate = undefined;
    for (const sequence of this.#queue) sequence.state = 'cancelled';
    for (const sequence of this.#running) sequence.state = 'cancelled';
    this.#queue.length = 0;
    this.#running.clear();
    this.#busy = false;
  }

  #cancel(sequence: Sequence): void {
    if (sequence.state === 'queued') {
      const at = this.#queue.indexOf(sequence);
      if (at >= 0) this.#queue.splice(at, 1);
    } else if (sequence.state === 'running') {
      this.#running.delete(sequence);
    }
    if (sequence.state !== 'finished') sequence.state = 'cancelled';
  }

  #startStep(start: number): void {
    const t = this.#timing;
    const decoding = this.#running.size;
    let admittedTokens = 0;
    while (this.#running.size < t.max_batch) {
      const next = this.#queue.shift();
      if (next === undefined) break;
      next.state = 'running';
      this.#running.add(next);
      admittedTokens += next.job.inputTokens;
    }
    if (this.#running.size === 0) {
      this.#busy = false;
      return;
    }
    const pass = t.step_ms + t.per_seq_ms * this.#running.size;
    const prefill = (t.prefill_ms_per_1k_tokens * admittedTokens) / 1000;
    const work =
      decoding > 0
        ? pass * t.decode_slowdown + prefill * t.prefill_slowdown
        : (pass + prefill) * t.prefill_slowdown;
    const duration = work * t.slowdown * lognormalFactor(this.#jitter, t.jitter);
    this.#lastDuration = duration;
    this.#plannedEnd = start + duration;
    this.#arm(this.#plannedEnd - this.#now());
  }

  /**
   * Arm the end-of-step timer. Node measures timer delays from the event loop's cached time, which can be up to a
   * millisecond stale, so a timer may fire early: then it is re-armed for the rest, and a step never ends before its
   * planned end (it may end up to ~1 ms late, which the next step's drift correction absorbs).
   */
  #arm(wait: number): void {
    if (wait <= 0) {
      this.#immediate = setImmediate(() => {
        this.#immediate = undefined;
        this.#endStep();
      });
      return;
    }
    this.#timeout = setTimeout(() => {
      this.#timeout = undefined;
      const left = this.#plannedEnd - this.#now();
      if (left > EARLY_TOLERANCE_MS) this.#arm(left);
      else this.#endStep();
    }, wait);
  }

  #endStep(): void {
    const chunk = this.#timing.tokens_per_chunk;
    for (const sequence of Array.from(this.#running)) {
      if (sequence.state !== 'running') continue; // cancelled by an earlier sink in this step
      sequence.generated += 1;
      const finished = sequence.generated >= sequence.job.outputTokens;
      const pending = sequence.generated - sequence.emitted;
      if (sequence.emitted === 0 || pending >= chunk || finished) {
        const first = sequence.emitted;
        sequence.emitted = sequence.generated;
        sequence.sink.tokens(first, pending);
      }
      if (finished && sequence.state === 'running') {
        sequence.state = 'finished';
        this.#running.delete(sequence);
        sequence.sink.done();
      }
    }
    if (this.#stopped) return;
    if (this.#running.size === 0 && this.#queue.length === 0) {
      this.#busy = false;
      return;
    }
    const now = this.#now();
    const late = now - this.#plannedEnd;
    this.#startStep(late > this.#lastDuration ? now : this.#plannedEnd);
  }
}
