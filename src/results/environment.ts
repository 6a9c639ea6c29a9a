/** Reads the machine the load generator runs on (an edge: it touches os and process.env). */
import os from 'node:os';
import type { Environment } from './schema.js';

export function collectEnvironment(env: NodeJS.ProcessEnv = process.env): Environment {
  const cpus = os.cpus();
  const github = env.GITHUB_ACTIONS === 'true';
  return {
    node: process.version,
    platform: process.platform,
    arch: process.arch,
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    totalMemoryBytes: os.totalmem(),
    ...(github
      ? {
          ci: {
            provider: 'github-actions' as const,
            ...(env.RUNNER_OS ? { runnerOs: env.RUNNER_OS } : {}),
            ...(env.RUNNER_NAME ? { runnerName: env.RUNNER_NAME } : {}),
          },
        }
      : {}),
  };
}
