/** Number formatting shared by every report: about three significant digits, never scientific notation. */

export function formatNumber(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  const a = Math.abs(x);
  if (a >= 100) return Math.round(x).toLocaleString('en-US');
  if (a >= 10) return x.toFixed(1);
  if (a >= 1) return x.toFixed(2);
  if (a === 0) return '0';
  return x.toFixed(3);
}

export function formatPercent(x: number | null | undefined, digits = 1): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  return `${(x * 100).toFixed(digits)}%`;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 120) return `${s.toFixed(1)} s`;
  return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

/** "concurrency 8", or "4 req/s poisson, ramp-up 10 s, at most 32 in flight". */
export function describeLoad(
  load:
    | { readonly mode: 'closed'; readonly concurrency: number }
    | {
        readonly mode: 'open';
        readonly rate: number;
        readonly arrival: string;
        readonly burstiness: number;
        readonly rampUpS: number;
        readonly maxInFlight?: number;
      },
): string {
  if (load.mode === 'closed') return `concurrency ${load.concurrency}`;
  const arrival = load.arrival === 'gamma' ? `gamma (burstiness ${load.burstiness})` : load.arrival;
  return (
    `${load.rate} req/s ${arrival}` +
    (load.rampUpS > 0 ? `, ramp-up ${load.rampUpS} s` : '') +
    (load.maxInFlight !== undefined ? `, at most ${load.maxInFlight} in flight` : '')
  );
}
