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

/**
 * Tracks what an accepted request wrote and records its truth exactly once.
 *
 * Token times are taken when the bytes leave: in the callback of the write that carried them, not when they were
 * handed to node:http, which holds every write of an engine step until the step's work is done and then sends them
 * socket by socket (at 64 streams, the last first token of a step leaves about 0.7 ms after it was handed over). The
 * truth is recorded once the response has ended and its token writes have been flushed, or when it closes.
 */
export class Progress {
  /** Generated tokens handed to the response so far. */
  written = 0;
  /** When the first chunk carrying generated tokens was flushed. */
  firstMs: number | undefined;
  /** When the last chunk carrying generated tokens was flushed. */
  lastMs: number | undefined;
  ended = false;
  readonly #job: GenerationJob;
  /** Token writes whose callback has not come yet. */
  #unflushed = 0;
  #fault: SimFault | undefined;
  #recorded = false;

  constructor(job: GenerationJob) {
    this.#job = job;
  }

  /**
   * Generated tokens up to `tokensSoFar` are being written. Pass the returned function as the write's callback: it
   * stamps the tokens when they are flushed (not when the write failed).
   */
  wrote(tokensSoFar: number): (error?: Error | null) => void {
    this.written = tokensSoFar;
    this.#unflushed++;
    return (error) => {
      this.#unflushed--;
      if (error === undefined || error === null) {
        const at = this.#job.sim.now();
        this.firstMs ??= at;
        this.lastMs = at;
      }
      if (this.ended && this.#unflushed === 0) this.#record();
    };
  }

  /**
   * The response ended (first call wins): the request leaves the in-flight count now, and its truth is recorded once
   * its token writes are flushed.
   */
  end(fault: SimFault | undefined): void {
    if (this.ended) return;
    this.ended = true;
    this.#fault = fault;
    this.#job.sim.leave();
    if (this.#unflushed === 0) this.#record();
  }

  /** The response closed: writes still unflushed never will be, so the truth of an ended response is recorded now. */
  closed(): void {
    if (this.ended) this.#record();
  }

  #record(): void {
    if (this.#recorded) return;
    this.#recorded = true;
    const { sim, requestId, arrivalMs, inputTokens } = this.#job;
    const fault = this.#fault;
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
 * has ended (or was cut, or the client went away) and its token writes have left.
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
        const flushed = progress.wrote(end);
        if (faultNow && fault.kind === 'disconnect') {
          // Cut the connection once this chunk has reached the socket, so the client sees it before the cut.
          handle.cancel();
          res.write(out, (error) => {
            flushed(error);
            res.destroy();
            progress.end('disconnect');
          });
          return;
        }
        res.write(out, flushed);
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
    if (!progress.ended) {
      handle.cancel();
      progress.end('client_disconnect');
    }
    progress.closed();
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
        // The whole body is one write, handed over here: stamped now.
        progress.wrote(plan.outputTokens)();
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
