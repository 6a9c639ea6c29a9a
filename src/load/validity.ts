/**
 * Self-validation: was this load point limited by the client rather than the endpoint? A load generator that is
 * itself the bottleneck reports its own plateau as the server's, so such a point is marked invalid (reports say why,
 * and the gate never fails a pull request on it). Also: did the endpoint honour force_output_length? If it ignored it
 * on many requests, the point is marked not comparable, since its output lengths (and so its timings) are not the
 * workload's.
 */
import type { EngineFigures } from './engine.js';
import type { LoadShape } from './points.js';
import type { RequestRecord } from './record.js';
import type { SelfCheckFigures } from './self-check.js';

/** Thresholds past which the client, not the endpoint, limited the measurement. */
export const VALIDITY_LIMITS = {
  /** Event-loop delay p99: timers and socket reads ran this late, so timestamps are this late. */
  eventLoopDelayP99Ms: 20,
  /** Share of wall time the client's event loop was busy: above this it had no headroom left. */
  eventLoopUtilization: 0.9,
  /** Open loop: requests sent this late (p99) behind their schedule. */
  dispatchLagP99Ms: 10,
  /** Open loop: the achieved send rate fell below this share of the schedule's rate. */
  achievedRateShare: 0.9,
  /** force_output_length: share of ok requests whose output length differs from the requested length. */
  outputLengthMismatchShare: 0.05,
} as const;

export interface Validity {
  /** False when the point must not be compared or gated. */
  readonly valid: boolean;
  /** One sentence per problem found. */
  readonly reasons: readonly string[];
  /** Dispatch lag of measured requests (sentMs − scheduledMs), ms. */
  readonly dispatchLagMs: { readonly p50: number; readonly p99: number; readonly max: number };
  /** Open loop: achieved send rate ÷ scheduled rate over the measured requests. */
  readonly achievedRateShare?: number;
  /** Most requests in flight at once, and the connection pool size they had. */
  readonly peakInFlight: number;
  readonly connections: number;
  /** force_output_length: ok requests whose output length differs from the requested one. */
  readonly outputLengthMismatch?: { readonly requests: number; readonly share: number };
}

export interface ValidityInput {
  readonly load: LoadShape;
  readonly records: readonly RequestRecord[];
  readonly selfCheck: SelfCheckFigures;
  readonly engine: EngineFigures;
  /** Connection pool size the provider was given. */
  readonly connections: number;
  readonly forceOutputLength: boolean;
}

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

const round3 = (x: number): number => Math.round(x * 1000) / 1000;

export function assessValidity(input: ValidityInput): Validity {
  const L = VALIDITY_LIMITS;
  const measured = input.records.filter((r) => !r.warmup);
  const lags = measured.map((r) => r.sentMs - r.scheduledMs).sort((a, b) => a - b);
  const dispatchLagMs = {
    p50: round3(quantile(lags, 0.5)),
    p99: round3(quantile(lags, 0.99)),
    max: round3(lags.at(-1) ?? 0),
  };
  const reasons: string[] = [];
  const { eventLoopDelayMs, eventLoopUtilization } = input.selfCheck;
  if (eventLoopDelayMs.p99 > L.eventLoopDelayP99Ms) {
    reasons.push(
      `the load generator's event loop ran ${eventLoopDelayMs.p99.toFixed(1)} ms late (p99, limit ` +
        `${L.eventLoopDelayP99Ms} ms): its timestamps include its own delays`,
    );
  }
  if (eventLoopUtilization > L.eventLoopUtilization) {
    reasons.push(
      `the load generator was busy ${Math.round(eventLoopUtilization * 100)}% of the time (limit ` +
        `${Math.round(L.eventLoopUtilization * 100)}%): it, not the endpoint, may have set the pace`,
    );
  }
  let achievedRateShare: number | undefined;
  if (input.load.mode === 'open') {
    if (dispatchLagMs.p99 > L.dispatchLagP99Ms && input.load.maxInFlight === undefined) {
      reasons.push(
        `requests were sent ${dispatchLagMs.p99.toFixed(1)} ms behind schedule (p99, limit ${L.dispatchLagP99Ms} ms)`,
      );
    }
    const s = input.engine.schedule;
    if (s !== undefined && s.sent > 1 && s.lastDueMs > s.firstDueMs) {
      achievedRateShare = round3((s.lastDueMs - s.firstDueMs) / Math.max(1e-9, s.lastSentMs - s.firstSentMs));
      if (achievedRateShare < L.achievedRateShare) {
        const why =
          input.load.maxInFlight !== undefined && input.engine.peakInFlight >= input.load.maxInFlight
            ? ` (max_in_flight ${input.load.maxInFlight} held requests back)`
            : '';
        reasons.push(
          `the achieved send rate was ${Math.round(achievedRateShare * 100)}% of the ${input.load.rate} req/s ` +
            `schedule${why}`,
        );
      }
    }
  }
  if (input.engine.peakInFlight > input.connections) {
    reasons.push(
      `up to ${input.engine.peakInFlight} requests were in flight on ${input.connections} connections: the rest ` +
        'waited in the client for a free connection (raise target.max_connections)',
    );
  }
  let outputLengthMismatch: Validity['outputLengthMismatch'];
  if (input.forceOutputLength) {
    const ok = measured.filter((r) => r.outcome === 'ok');
    const off = ok.filter((r) => r.outputTokens !== r.requestedOutputTokens).length;
    const share = ok.length === 0 ? 0 : off / ok.length;
    outputLengthMismatch = { requests: off, share: round3(share) };
    if (share > L.outputLengthMismatchShare) {
      reasons.push(
        `the endpoint ignored force_output_length on ${Math.round(share * 100)}% of requests (their output ` +
          'length differs from max_tokens): timings are not comparable with runs of the requested lengths',
      );
    }
  }
  return {
    valid: reasons.length === 0,
    reasons,
    dispatchLagMs,
    ...(achievedRateShare !== undefined ? { achievedRateShare } : {}),
    peakInFlight: input.engine.peakInFlight,
    connections: input.connections,
    ...(outputLengthMismatch ? { outputLengthMismatch } : {}),
  };
}
