/** An in-memory CliIO: captures what a command prints, with the same secret masking as the real one. */
import { scrubSecrets } from '../../src/config/redact.js';
import type { CliIO } from '../../src/cli/io.js';

export interface MemoryIO extends CliIO {
  readonly stdout: () => string;
  readonly stderr: () => string;
}

export function memoryIO(
  options: { env?: NodeJS.ProcessEnv; cwd?: string; signal?: AbortSignal } = {},
): MemoryIO {
  const secrets: string[] = [];
  let out = '';
  let err = '';
  const mask = (t: string) => scrubSecrets(t, secrets);
  return {
    out: (t) => {
      out += mask(t);
    },
    err: (t) => {
      err += mask(t);
    },
    tty: false,
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
    signal: options.signal ?? new AbortController().signal,
    addSecrets: (s) => {
      secrets.push(...s.filter((x) => x.length > 0));
    },
    stdout: () => out,
    stderr: () => err,
  };
}
