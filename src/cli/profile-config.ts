/** The `--config` and `--scenario` options of the commands that run a profile (`run`, `calibrate`). */
import path from 'node:path';
import { loadConfig, type LoadedConfig } from '../config/load.js';
import { selectScenarios } from '../load/profile.js';
import type { CliIO } from './io.js';
import { UsageError } from './usage-error.js';

export interface ProfileConfig {
  readonly loaded: LoadedConfig;
  /** The scenarios named by --scenario; undefined runs them all. */
  readonly only: string[] | undefined;
}

/** The value of --config; a UsageError when it is missing. */
export function configOption(values: Record<string, unknown>): string {
  const configPath = values.config as string | undefined;
  if (configPath === undefined)
    throw new UsageError('--config is required (the YAML or JSON profile to run)');
  return configPath;
}

/**
 * Loads the profile, registers its secrets for redaction, and checks that every --scenario names one of its
 * scenarios. Problems name the file as the user wrote it (perf.yml:14), relative to where they are.
 */
export async function loadProfileConfig(
  io: CliIO,
  configPath: string,
  values: Record<string, unknown>,
): Promise<ProfileConfig> {
  const absolute = path.resolve(io.cwd, configPath);
  const shown = path.isAbsolute(configPath) ? configPath : path.relative(process.cwd(), absolute) || absolute;
  const loaded = await loadConfig(shown, io.env);
  io.addSecrets(loaded.secrets);
  const only = values.scenario as string[] | undefined;
  try {
    selectScenarios(loaded.config, only);
  } catch (err) {
    throw new UsageError(`--scenario: ${(err as Error).message}`);
  }
  return { loaded, only };
}
