/**
 * Progress output while a scenario runs: a live one-line bar on a TTY, and a plain line every few seconds otherwise
 * (CI logs), showing done / in flight / output tokens/s / errors. Reads the engine's live counters on a timer, so the
 * load engine's hot path does no printing.
 */
import type { LiveStats } from '../load/engine.js';
import type { Clock } from '../providers/types.js';

export interface ProgressOptions {
  readonly write: (text: string) => void;
  readonly tty: boolean;
  readonly clock: Clock;
  readonly scenario: string;
  /** Plain-line interval for non-TTY output. */
  readonly intervalMs?: number;
}

export interface Progress {
  stop(): void;
}

export function formatProgress(live: LiveStats, now: number, scenario: string): string {
  const elapsedS = live.measuredStartAt === undefined ? 0 : (now - live.measuredStartAt) / 1000;
  const tps = elapsedS > 0 ? live.outputTokens / elapsedS : 0;
  let of: string;
  if (live.total !== undefined) of = `${live.done}/${live.total}`;
  else if (live.deadlineAt !== undefined) {
    const left = Math.max(0, (live.deadlineAt - now) / 1000);
    of = `${live.done} (${left.toFixed(0)} s left)`;
  } else of = `${live.done}`;
  const phase = live.phase === 'measured' ? '' : ` [${live.phase}]`;
  return (
    `${scenario}${phase}: ${of} done, ${live.inFlight} in flight, ` +
    `${tps.toFixed(1)} output tok/s, ${live.errors} error${live.errors === 1 ? '' : 's'}, ${elapsedS.toFixed(0)} s`
  );
}

function bar(live: LiveStats, now: number, width: number): string {
  let fraction = 0;
  if (live.total !== undefined && live.total > 0) fraction = live.done / live.total;
  else if (live.deadlineAt !== undefined && live.measuredStartAt !== undefined) {
    fraction = (now - live.measuredStartAt) / (live.deadlineAt - live.measuredStartAt);
  }
  const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}

export function startProgress(live: LiveStats, options: ProgressOptions): Progress {
  const { write, tty, clock, scenario } = options;
  const render = (): void => {
    const now = clock();
    if (tty) write(`\r\x1b[2K${bar(live, now, 24)} ${formatProgress(live, now, scenario)}`);
    else write(`${formatProgress(live, now, scenario)}\n`);
  };
  const timer = setInterval(render, tty ? 250 : (options.intervalMs ?? 5000));
  timer.unref();
  return {
    stop(): void {
      clearInterval(timer);
      if (tty) write('\r\x1b[2K');
    },
  };
}
