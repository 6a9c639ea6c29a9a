/** The baseline file on local disk (the CLI's edge; the action uses the GitHub contents API instead). */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { BaselineFileError, formatBaseline, parseBaseline, type BaselineFile } from './baseline-file.js';

/** The baseline at `file`, or undefined when there is none yet. */
export async function readBaselineFile(file: string): Promise<BaselineFile | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new BaselineFileError(`cannot read baseline ${file}: ${(err as Error).message}`);
  }
  return parseBaseline(text, file);
}

export async function writeBaselineFile(file: string, baseline: BaselineFile): Promise<void> {
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  const tmp = `${file}.tmp`;
  await writeFile(tmp, formatBaseline(baseline));
  await rename(tmp, file);
}
