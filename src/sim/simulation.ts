/**
 * The wire-independent state of one simulator instance, shared by every face (OpenAI today; Bedrock, SageMaker and
 * TGI later): the knobs, the batching model, the cold start, the in-flight limit, per-request plans and the truth log.
 */
import { countTokens } from 'gpt-tokenizer/encoding/cl100k_base';
import type { SimKnobs } from './knobs.js';
import { BatchingModel } from './model.js';
import { planRequest, type LengthRequest, type RequestPlan } from './plan.js';
import { createRng, deriveSeed, RNG_STREAM } from './rng.js';
import { TruthLog } from './truth.js';

/** Model name reported when the `model` knob is empty and the request names none. */
export const DEFAULT_MODEL_NAME = 'llm-perf-gate-sim';

/**
 * One simulator instance's shared state. Faces call, per generation request: coldStartLeftMs() → enter() →
 * plan() → model.submit(...) → leave(), and add one record to `truth`.
 */
export class Simulation {
  readonly knobs: SimKnobs;
  readonly model: BatchingModel;
  readonly truth: TruthLog;
  readonly #now: () => number;
  #readyAt = 0;
  #inFlight = 0;
  #planned = 0;
  #unnamed = 0;

  constructor(knobs: SimKnobs, now: () => number = () => performance.now()) {
    this.knobs = knobs;
    this.#now = now;
    this.model = new BatchingModel(knobs, createRng(deriveSeed(knobs.seed, RNG_STREAM.jitter, 0)), now);
    this.truth = new TruthLog(knobs.log_truth);
  }

  /** The server started listening: the cold start (cold_start_s) counts from now. */
  markStarted(): void {
    this.#readyAt = this.#now() + this.knobs.cold_start_s * 1000;
  }

  /** Milliseconds of cold start left (0 once the model is "loaded"). */
  coldStartLeftMs(): number {
    return Math.max(0, this.#readyAt - this.#now());
  }

  /** Requests admitted and not yet ended. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /**
   * Admit a generation request unless that would put more than rate_limit_in_flight requests in flight. An admitted
   * request counts as in flight until {@link leave}.
   */
  enter(): boolean {
    const limit = this.knobs.rate_limit_in_flight;
    if (limit > 0 && this.#inFlight >= limit) return false;
    this.#inFlight += 1;
    return true;
  }

  /** An admitted request ended (in any way). */
  leave(): void {
    this.#inFlight = Math.max(0, this.#inFlight - 1);
  }

  /** Plan the next valid, admitted request: its fate depends only on the seed and how many were planned before. */
  plan(request: LengthRequest): RequestPlan {
    const rng = createRng(deriveSeed(this.knobs.seed, RNG_STREAM.request, this.#planned));
    this.#planned += 1;
    return planRequest(this.knobs, rng, request);
  }

  /** An id for a request that sent no X-Request-Id: "sim-1", "sim-2", ... (deterministic, like everything else). */
  nextRequestId(): string {
    this.#unnamed += 1;
    return `sim-${this.#unnamed}`;
  }

  /** Prompt tokens of `text`, counted with the workload's tokenizer (cl100k_base) so usage matches the client. */
  countPromptTokens(text: string): number {
    return text.length === 0 ? 0 : countTokens(text);
  }

  /** The model name to report for a request that named `requested` (undefined when it named none). */
  modelName(requested: string | undefined): string {
    return requested ?? (this.knobs.model === '' ? DEFAULT_MODEL_NAME : this.knobs.model);
  }

  /** Whether a request naming `requested` targets the served model. */
  servesModel(requested: string | undefined): boolean {
    return this.knobs.model === '' || requested === undefined || requested === this.knobs.model;
  }

  /** Milliseconds on the simulator's clock. */
  now(): number {
    return this.#now();
  }

  /** Stop the model's timers and drop its sequences. */
  stop(): void {
    this.model.stop();
  }
}
