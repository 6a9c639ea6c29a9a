/**
 * What a CLI command may touch of the outside world, passed in so commands are testable in-process: output streams
 * (with every known secret masked), whether stdout is a terminal, the environment and a cancellation signal.
 */
import { scrubSecrets } from '../config/redact.js';

export interface CliIO {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly tty: boolean;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  /** Aborted on SIGINT/SIGTERM. */
  readonly signal: AbortSignal;
  /** Adds secrets to mask in everything written from now on. */
  addSecrets(secrets: readonly string[]): void;
}

export function processIO(signal: AbortSignal): CliIO {
  const secrets: string[] = [];
  const mask = (text: string): string => (secrets.length === 0 ? text : scrubSecrets(text, secrets));
  return {
    out: (text) => process.stdout.write(mask(text)),
    err: (text) => process.stderr.write(mask(text)),
    tty: process.stdout.isTTY === true,
    env: process.env,
    cwd: process.cwd(),
    signal,
    addSecrets: (more) => {
      for (const s of more) if (s.length > 0 && !secrets.includes(s)) secrets.push(s);
    },
  };
}
