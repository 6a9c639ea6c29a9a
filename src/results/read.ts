/** Reads a results.json written by `run`, checking it is one this version understands. */
import { readFile } from 'node:fs/promises';
import { RESULTS_SCHEMA_VERSION, type RunResult } from './schema.js';

export class ResultsFileError extends Error {
  override name = 'ResultsFileError';
}

export function parseResults(text: string, file: string): RunResult {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new ResultsFileError(`${file} is not valid JSON: ${(err as Error).message}`);
  }
  const r = data as Partial<RunResult> | null;
  if (r === null || typeof r !== 'object' || r.tool?.name !== 'llm-perf-gate') {
    throw new ResultsFileError(`${file} is not an llm-perf-gate results file (no tool.name "llm-perf-gate")`);
  }
  if (r.schemaVersion !== RESULTS_SCHEMA_VERSION) {
    throw new ResultsFileError(
      `${file} has results schemaVersion ${String(r.schemaVersion)}; this llm-perf-gate reads version ${RESULTS_SCHEMA_VERSION}`,
    );
  }
  if (!Array.isArray(r.scenarios)) throw new ResultsFileError(`${file}: scenarios must be a list`);
  return data as RunResult;
}

export async function readResults(file: string): Promise<RunResult> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new ResultsFileError(
      `cannot read results file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
  return parseResults(text, file);
}
