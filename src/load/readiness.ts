/**
 * Waits for an endpoint to answer before anything is measured. Scale-to-zero endpoints (SageMaker, Bedrock Custom
 * Model Import, serverless GPUs) refuse connections or answer 503 / "model not ready" for seconds to minutes after
 * idling; that wait is reported as cold-start time and never counted in TTFT.
 */
import type { ReadinessConfig } from '../config/schema.js';
import type { Clock, Provider } from '../providers/types.js';

export interface ReadinessReport {
  readonly ready: boolean;
  /** Time from the first probe until the endpoint answered (or until giving up). */
  readonly waitedMs: number;
  /** True when at least one probe failed before the endpoint answered: waitedMs is a cold start. */
  readonly coldStart: boolean;
  readonly probes: number;
  /** The last failure reason (secret-free), when a probe failed. */
  readonly lastReason?: string;
  /** The endpoint rejected the probe in a way waiting cannot fix (401, 404, bad model name). */
  readonly fatal?: boolean;
}

export interface ReadinessOptions {
  readonly clock: Clock;
  readonly signal?: AbortSignal;
  /** Called after each failed probe with the reason and the wait before the next one. */
  readonly onRetry?: (reason: string, nextProbeInMs: number, waitedMs: number) => void;
  /** Injectable sleep for tests. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export async function waitUntilReady(
  provider: Provider,
  config: ReadinessConfig,
  options: ReadinessOptions,
): Promise<ReadinessReport> {
  const { clock, signal } = options;
  const sleep = options.sleep ?? abortableSleep;
  const start = clock();
  const limitMs = config.timeout_s * 1000;
  let interval = config.initial_interval_s * 1000;
  let probes = 0;
  let lastReason: string | undefined;
  for (;;) {
    const probeSignal = signal ?? new AbortController().signal;
    const result = await provider.probe(probeSignal);
    probes++;
    const waitedMs = clock() - start;
    if (result.ready) return { ready: true, waitedMs, coldStart: probes > 1, probes };
    lastReason = result.reason;
    if (!result.retryable)
      return { ready: false, waitedMs, coldStart: false, probes, lastReason, fatal: true };
    if (signal?.aborted || waitedMs >= limitMs)
      return { ready: false, waitedMs, coldStart: probes > 1, probes, lastReason };
    const wait = Math.min(interval, config.max_interval_s * 1000, limitMs - waitedMs);
    options.onRetry?.(result.reason, wait, waitedMs);
    await sleep(wait, signal);
    if (signal?.aborted)
      return { ready: false, waitedMs: clock() - start, coldStart: probes > 1, probes, lastReason };
    interval *= 2;
  }
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
