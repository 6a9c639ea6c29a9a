/**
 * Readiness probes of the HTTP providers: a probe is one tiny real generation sent through the provider's own `send`,
 * and this recorder turns how it ended into a {@link ProbeResult} that says whether waiting can help.
 */
import { isNotReadyMessage, isRetryableStatus } from './http-errors.js';
import type { ErrorCategory, ProbeResult, ProviderRequest, StreamRecorder } from './types.js';

/** Time limit of one readiness probe when the provider is given none, in milliseconds. */
export const DEFAULT_PROBE_TIMEOUT_MS = 15_000;

/** The request a probe sends: a one-token generation. */
export const PROBE_REQUEST: ProviderRequest = {
  index: -1,
  requestId: 'llm-perf-gate-probe',
  prompt: 'Hello',
  inputTokens: 1,
  maxTokens: 1,
  forceOutputLength: false,
};

/**
 * Send one probe through `send` under its own time limit (and the caller's signal) and interpret the outcome.
 * `url` names the endpoint in the reason.
 */
export async function probeWith(
  send: (request: ProviderRequest, recorder: StreamRecorder, signal: AbortSignal) => Promise<void>,
  url: string,
  signal: AbortSignal,
  timeoutMs: number = DEFAULT_PROBE_TIMEOUT_MS,
): Promise<ProbeResult> {
  const timeout = AbortSignal.timeout(timeoutMs);
  const outcome = new ProbeOutcome();
  await send(PROBE_REQUEST, outcome, AbortSignal.any([signal, timeout]));
  return outcome.result(url, signal.aborted ? undefined : timeout.aborted ? timeoutMs : undefined);
}

/** Recorder for a readiness probe: keeps only how the request ended. */
export class ProbeOutcome implements StreamRecorder {
  #ended = false;
  #failure: { category: ErrorCategory; detail: string; status: number | undefined } | undefined;

  connected(): void {}
  responseStarted(): void {}
  content(): void {}
  usage(): void {}
  serverLatency(): void {}

  ended(): void {
    this.#ended = true;
  }

  failed(_at: number, category: ErrorCategory, detail: string, status?: number): void {
    this.#failure = { category, detail, status };
  }

  /** The probe result; `timedOutAfterMs` is set when the probe's own time limit aborted it. */
  result(url: string, timedOutAfterMs: number | undefined): ProbeResult {
    if (this.#ended) return { ready: true };
    const failure = this.#failure;
    if (failure === undefined)
      return { ready: false, reason: `probe of ${url} ended without an outcome`, retryable: true };
    const { category, detail, status } = failure;
    if (status !== undefined && category !== 'stream_cut') {
      const prefix = `HTTP ${status}`;
      const rest = detail.startsWith(prefix) ? detail.slice(prefix.length) : `: ${detail}`;
      const message = rest.replace(/^[^:]*:\s*/, '');
      return {
        ready: false,
        reason: `${prefix} from ${url}${rest}`,
        retryable: isRetryableStatus(status, message),
      };
    }
    switch (category) {
      case 'aborted':
        return timedOutAfterMs !== undefined
          ? {
              ready: false,
              reason: `no answer from ${url} within ${timedOutAfterMs / 1000} s`,
              retryable: true,
            }
          : { ready: false, reason: 'readiness probe cancelled', retryable: false };
      case 'connect_refused':
        return { ready: false, reason: `connection refused by ${url}: ${detail}`, retryable: true };
      case 'dns':
        // A name that does not exist (ENOTFOUND) will not appear by waiting; a failing resolver (EAI_AGAIN) may recover.
        return {
          ready: false,
          reason: `cannot resolve the host of ${url}: ${detail}`,
          retryable: !/ENOTFOUND/.test(detail),
        };
      case 'tls':
        return { ready: false, reason: `TLS failure with ${url}: ${detail}`, retryable: false };
      case 'malformed_event':
        return { ready: false, reason: `unreadable stream from ${url}: ${detail}`, retryable: false };
      case 'stream_error':
        return {
          ready: false,
          reason: `error in the stream from ${url}: ${detail}`,
          retryable: isNotReadyMessage(detail),
        };
      case 'http_4xx':
        // Rejected as invalid inside a 200 stream (TGI's validation error event): waiting will not fix the request.
        return {
          ready: false,
          reason: `request rejected by ${url}: ${detail}`,
          retryable: isNotReadyMessage(detail),
        };
      default:
        return {
          ready: false,
          reason: `${category.replace(/_/g, ' ')} at ${url}: ${detail}`,
          retryable: true,
        };
    }
  }
}
