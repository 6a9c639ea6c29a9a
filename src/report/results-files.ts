/**
 * Writes a run's files: requests.jsonl, one line appended as each request finishes (a killed run keeps what
 * finished), and results.json at the end. Appends go through a write stream so the load engine's event loop never
 * blocks on the disk.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { RequestRecord } from '../load/record.js';
import type { RunResult } from '../results/schema.js';

export interface ResultsPaths {
  readonly dir: string;
  readonly results: string;
  readonly requests: string;
}

export class ResultsFiles {
  private constructor(
    readonly paths: ResultsPaths,
    private readonly jsonl: WriteStream,
  ) {}

  /** Creates the folder and truncates requests.jsonl. */
  static async open(dir: string): Promise<ResultsFiles> {
    const abs = path.resolve(dir);
    try {
      await mkdir(abs, { recursive: true });
    } catch (err) {
      throw new Error(`cannot create the results folder ${abs}: ${(err as Error).message}`, { cause: err });
    }
    const paths = {
      dir: abs,
      results: path.join(abs, 'results.json'),
      requests: path.join(abs, 'requests.jsonl'),
    };
    const jsonl = createWriteStream(paths.requests, { flags: 'w' });
    await new Promise<void>((resolve, reject) => {
      jsonl.once('open', () => resolve());
      jsonl.once('error', (err) => reject(new Error(`cannot write ${paths.requests}: ${err.message}`)));
    });
    return new ResultsFiles(paths, jsonl);
  }

  appendRecord(record: RequestRecord): void {
    this.jsonl.write(`${JSON.stringify(record)}\n`);
  }

  /** Flushes and closes requests.jsonl. */
  async closeRecords(): Promise<void> {
    if (this.jsonl.closed) return;
    await new Promise<void>((resolve, reject) => {
      this.jsonl.end((err?: Error | null) => (err ? reject(err) : resolve()));
    });
  }

  /** Writes results.json atomically (temp file, then rename). */
  async writeResults(result: RunResult): Promise<void> {
    const tmp = `${this.paths.results}.tmp`;
    await writeFile(tmp, `${JSON.stringify(result, null, 2)}\n`);
    await rename(tmp, this.paths.results);
  }
}
