/**
 * The wire-independent life of one generation request, shared by every face of the simulator: the truth record of a
 * request answered before generating, the progress of an accepted one, and the loops that run a plan through the
 * batching model — streaming (with the planned mid-stream faults) or all at once. A face supplies only the bytes.
 */
import type { RequestPlan } from './plan.js';
import type { Simulation } from './simulation.js';
import type { SimFault } from './truth.js';

/** A plan that generates tokens. */
export type GeneratePlan = Extract<RequestPlan, { kind: 'generate' }>;

/** Identifies one generation request in the truth log. */
export interface RequestIdentity {
  readonly requestId: string;
  /** When the whole request body had been received (simulator clock). */
  readonly arrivalMs: number;
}

/** An accepted request, ready to generate. */
export interface GenerationJob extends RequestIdentity {
  readonly sim: Simulation;
  /** Prompt tokens: the prefill work, reported in the truth. */
  readonly inputTokens: number;
  readonly plan: GeneratePlan;
}

/**
 * Where a response goes: an HTTP/1.1 `ServerResponse` or an HTTP/2 compatibility `Http2ServerResponse`, headers
 * already sent. `destroy` cuts the response mid-stream (the socket on HTTP/1.1, the stream on HTTP/2).
 */
export interface GenerationResponse {
  write(chunk: string | Uint8Array, callback?: (error?: Error | null) => void): boolean;
  end(chunk?: string | Uint8Array): unknown;
  destroy(): unknown;
  on(event: 'close', listener: () => void): unknown;
}

/** The bytes of one streaming wire format for one response. */
export interface StreamWire {
  /** Events carrying generated tokens [first, first + count). */
  tokens(first: number, count: number): string | Uint8Array;
  /** One event no client can parse; the stream goes on after it (malformed_rate). */
  malformed(): string | Uint8Array;
  /** The events that end the stream with an in-stream error (stream_error_rate). */
  streamError(message: string): string | Uint8Array;
  /**
   * The events that end the stream with an in-stream throttling error (stream_throttle_rate); faces whose protocol
   * has no such error leave it out and send {@link streamError} instead.
   */
  streamThrottle?(message: string): string | Uint8Array;
  /** The closing events after the last token (usage, terminal event), given the tokens written. */
  end(written: number): string | Uint8Array;
}

/** Message of the in-stream error injected by stream_error_rate. */
export const STREAM_ERROR_MESSAGE = 'Simulated error during generation (stream_error_rate).';

/** Message of the in-stream throttling error injected by stream_throttle_rate. */
export const STREAM_THROTTLE_MESSAGE = 'Simulated throttling during generation (stream_throttle_rate).';

/** Record the truth of a request answered before any generation (the face has sent the error response). */
export function recordRejection(
  sim: Simulation,
  request: RequestIdentity,
  status: number,
  fault: SimFault,
  inputTokens = 0,
): void {
  sim.truth.add({
    requestId: request.requestId,
    arrivalMs: request.arrivalMs,
    endMs: sim.now(),
    outputTokens: 0,
    inputTokens,
    status,
    fault,
  });
}

/** Tracks what an accepted request wrote and records its truth exactly once. */
export class Progress {
  written = 0;
  firstMs: number | undefined;
  lastMs: number | undefined;
  ended = false;
  readonly #job: GenerationJob;

  constructor(job: GenerationJob) {
    this.#job = job;
  }

  /** Generated tokens up to `tokensSoFar` were just written. */
  wrote(tokensSoFar: number): void {
    const at = this.#job.sim.now();
    this.firstMs ??= at;
    this.lastMs = at;
    this.written = tokensSoFar;
  }

  /** Record the end of the response (first call wins); the request leaves the in-flight count. */
  end(fault: SimFault | undefined): void {
    if (this.ended) return;
    this.ended = true;
    const { sim, requestId, arrivalMs, inputTokens } = this.#job;
    sim.leave();
    sim.truth.add({
      requestId,
      arrivalMs,
      ...(this.firstMs === undefined ? {} : { firstTokenMs: this.firstMs }),
      ...(this.lastMs === undefined ? {} : { lastTokenMs: this.lastMs }),
      endMs: sim.now(),
      outputTokens: this.written,
      inputTokens,
      status: 200,
      ...(fault === undefined ? {} : { fault }),
    });
  }
}

/**
 * Generate the job's plan through the batching model and stream it: the wire's token events as the model produces
 * tokens, the planned fault when it is due, the closing events at the end. The truth is recorded when the response
 * ends, is cut, or the client goes away.
 */
export function streamGeneration(job: GenerationJob, res: GenerationResponse, wire: StreamWire): void {
  const { sim, plan } = job;
  const progress = new Progress(job);
  let malformedSent = false;
  const handle = sim.model.submit(
    { inputTokens: job.inputTokens, outputTokens: plan.outputTokens },
    {
      tokens(first, count) {
        const end = first + count;
        const out = wire.tokens(first, count);
        const fault = plan.fault;
        const faultNow = fault !== undefined && end >= fault.afterTokens;
        if (faultNow && fault.kind === 'disconnect') {
          // Cut the connection once this chunk has reached the socket, so the client sees it before the cut.
          handle.cancel();
          res.write(out, () => {
            res.destroy();
            progress.end('disconnect');
          });
          progress.wrote(end);
          return;
        }
        res.write(out);
        progress.wrote(end);
        if (!faultNow) return;
        if (fault.kind === 'stream_error') {
          handle.cancel();
          res.end(wire.streamError(STREAM_ERROR_MESSAGE));
          progress.end('stream_error');
        } else if (fault.kind === 'stream_throttle') {
          handle.cancel();
          const throttle = wire.streamThrottle ?? wire.streamError;
          res.end(throttle.call(wire, STREAM_THROTTLE_MESSAGE));
          progress.end('stream_throttle');
        } else if (fault.kind === 'malformed' && !malformedSent) {
          malformedSent = true;
          res.write(wire.malformed());
        }
      },
      done() {
        res.end(wire.end(progress.written));
        progress.end(malformedSent ? 'malformed' : plan.finishReason === 'stop' ? 'early_stop' : undefined);
      },
    },
  );
  res.on('close', () => {
    if (progress.ended) return;
    handle.cancel();
    progress.end('client_disconnect');
  });
}

/**
 * Generate the job's plan without streaming: `respond` sends the complete response once the last token is generated.
 * The truth is recorded then, or when the client goes away first.
 */
export function generateOnce(job: GenerationJob, res: GenerationResponse, respond: () => void): void {
  const { sim, plan } = job;
  const progress = new Progress(job);
  const handle = sim.model.submit(
    { inputTokens: job.inputTokens, outputTokens: plan.outputTokens },
    {
      tokens() {},
      done() {
        respond();
        progress.wrote(plan.outputTokens);
        progress.end(plan.finishReason === 'stop' ? 'early_stop' : undefined);
      },
    },
  );
  res.on('close', () => {
    if (progress.ended) return;
    handle.cancel();
    progress.end('client_disconnect');
  });
}
