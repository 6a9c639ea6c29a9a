/** Gate settings for the CLI's gate commands: the `gate:` section of --config, or the defaults. */
import { readFile } from 'node:fs/promises';
import { ConfigError } from '../config/errors.js';
import { parseGateSection } from '../config/load.js';
import type { GateConfig } from '../config/schema.js';
import { gateSchema } from '../config/schema.js';

export async function gateConfigFrom(configPath: string | undefined): Promise<GateConfig> {
  if (configPath === undefined) return gateSchema.parse({});
  let text: string;
  try {
    text = await readFile(configPath, 'utf8');
  } catch (err) {
    throw new ConfigError(
      configPath,
      [
        {
          path: '',
          message: `cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
        },
      ],
      'Cannot read config',
    );
  }
  return parseGateSection(text, configPath);
}
