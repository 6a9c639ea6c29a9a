/**
 * Watches the load generator itself while it runs: a client whose event loop is late or whose CPU is saturated
 * measures its own delays, not the endpoint's. The figures go into results so a reader can tell.
 */
import { monitorEventLoopDelay, performance, type EventLoopUtilization } from 'node:perf_hooks';

export interface SelfCheckFigures {
  /** Event-loop delay percentiles in ms (how late timers and I/O callbacks ran). */
  readonly eventLoopDelayMs: { readonly p50: number; readonly p99: number; readonly max: number };
  /** Share of wall time the event loop was busy (0..1). */
  readonly eventLoopUtilization: number;
  /** Process CPU time (user + system) divided by wall time; 1.0 = one core fully used. */
  readonly cpuCores: number;
  readonly wallMs: number;
  /** Highest resident memory seen (bytes) during the run. */
  readonly peakRssBytes: number;
}

export interface SelfCheck {
  stop(): SelfCheckFigures;
}

export function startSelfCheck(): SelfCheck {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  const elu0: EventLoopUtilization = performance.eventLoopUtilization();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let peakRss = process.memoryUsage.rss();
  const rssTimer = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, 500);
  rssTimer.unref();
  return {
    stop(): SelfCheckFigures {
      histogram.disable();
      clearInterval(rssTimer);
      peakRss = Math.max(peakRss, process.memoryUsage.rss());
      const wallMs = performance.now() - t0;
      const cpu = process.cpuUsage(cpu0);
      const elu = performance.eventLoopUtilization(elu0);
      // The histogram reports nanoseconds and includes the sampling resolution itself; subtract it.
      const ms = (ns: number): number => Math.max(0, Math.round((ns / 1e6 - 5) * 1000) / 1000);
      const sampled = histogram.count > 0;
      return {
        eventLoopDelayMs: {
          p50: sampled ? ms(histogram.percentile(50)) : 0,
          p99: sampled ? ms(histogram.percentile(99)) : 0,
          max: sampled ? ms(histogram.max) : 0,
        },
        eventLoopUtilization: Math.round(elu.utilization * 1000) / 1000,
        cpuCores: wallMs > 0 ? Math.round(((cpu.user + cpu.system) / 1000 / wallMs) * 1000) / 1000 : 0,
        wallMs: Math.round(wallMs),
        peakRssBytes: peakRss,
      };
    },
  };
}
