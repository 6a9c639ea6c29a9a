/** What the benchmark ran on: printed at the top of the report and stored in the JSON file. */
import os from 'node:os';
import { collectEnvironment } from '../src/results/environment.js';

export interface BenchEnvironment {
  readonly node: string;
  readonly v8: string;
  readonly platform: string;
  readonly arch: string;
  readonly cpuModel: string;
  /** CPUs this process may use (os.availableParallelism). */
  readonly cores: number;
  readonly totalMemoryBytes: number;
  /** 1, 5 and 15 minute load averages when the benchmark started (a busy shared machine shows here). */
  readonly loadAverage: readonly number[];
  readonly ci?: unknown;
}

export function benchEnvironment(): BenchEnvironment {
  const env = collectEnvironment();
  return {
    node: env.node,
    v8: process.versions.v8,
    platform: env.platform,
    arch: env.arch,
    cpuModel: env.cpuModel,
    cores: os.availableParallelism(),
    totalMemoryBytes: env.totalMemoryBytes,
    loadAverage: os.loadavg(),
    ...(env.ci === undefined ? {} : { ci: env.ci }),
  };
}
