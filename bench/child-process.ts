/**
 * Helper processes of the benchmark. They run the same bundled script (build/bench.js) with a role flag as the first
 * argument and a JSON payload as the second, and talk to the parent over Node's IPC channel: the child sends one
 * message when it is ready or done; it exits when the parent disconnects (or dies).
 */
import { spawn, type ChildProcess } from 'node:child_process';

/** The role flags build/bench.js understands besides the benchmark's own options. */
export const CHILD_ROLES = {
  firehoseServer: '--firehose-server',
  memoryClient: '--memory-client',
} as const;
export type ChildRoleFlag = (typeof CHILD_ROLES)[keyof typeof CHILD_ROLES];

/** A running helper process. */
export interface BenchChild<T> {
  /** The child's first IPC message; rejects when the child exits or fails before sending one. */
  readonly first: Promise<T>;
  readonly process: ChildProcess;
  /** Disconnect (the child then exits), kill it if it has not exited within 5 s, and wait for the exit. */
  stop(): Promise<void>;
}

/**
 * Start `benchFile` in a new Node process in the role `flag` with `payload`, passing `execArgv` to node
 * (e.g. --expose-gc). The child's stderr is the parent's; its stdout is discarded so the report stays clean.
 */
export function spawnBenchChild<T>(
  benchFile: string,
  flag: ChildRoleFlag,
  payload: unknown,
  execArgv: readonly string[] = [],
): BenchChild<T> {
  const child = spawn(process.execPath, [...execArgv, benchFile, flag, JSON.stringify(payload)], {
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const first = new Promise<T>((resolve, reject) => {
    child.once('message', (message) => resolve(message as T));
    child.once('error', (error) => reject(new Error(`bench helper ${flag}: ${error.message}`)));
    child.once('exit', (code, signal) =>
      reject(new Error(`bench helper ${flag} exited (${signal ?? `code ${code}`}) before reporting`)),
    );
  });
  // The caller may never await `first` when it stops the child early; that rejection is not an error then.
  first.catch(() => undefined);
  let stopping: Promise<void> | undefined;
  return {
    first,
    process: child,
    stop() {
      stopping ??= (async () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        if (child.connected) child.disconnect();
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      })();
      return stopping;
    },
  };
}

/** In a child: the payload the parent passed (the argument after the role flag). */
export function childPayload<T>(argv: readonly string[]): T {
  const text = argv[1];
  if (text === undefined) throw new Error(`bench helper ${argv[0] ?? ''}: missing JSON payload argument`);
  return JSON.parse(text) as T;
}

/** In a child: send `message` to the parent and wait until it was handed to the IPC channel. */
export function sendToParent(message: unknown): Promise<void> {
  return new Promise((resolve, reject) => {
    if (process.send === undefined) {
      reject(new Error('bench helper: no IPC channel (start it through spawnBenchChild)'));
      return;
    }
    process.send(message, undefined, {}, (error) => (error ? reject(error) : resolve()));
  });
}
