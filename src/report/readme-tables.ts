/**
 * The README sections generated from code, so documentation and behaviour cannot drift: each lives between
 * `<!-- NAME:start -->` and `<!-- NAME:end -->` markers. scripts/write-readme-tables.mjs rewrites them; a test checks
 * the committed README matches.
 */
import type { BaselineFile } from '../gate/baseline-file.js';
import { compareWithBaseline } from '../gate/compare.js';
import { DEFAULT_GATE_SETTINGS } from '../gate/stats/index.js';
import { renderMetricDefinitionsMarkdown } from '../metrics/definitions.js';
import type { RunResult } from '../results/schema.js';
import { renderGateMarkdown } from './gate-markdown.js';

/** The example pull request's baseline and run (examples/pr-comment/baseline.json and results.json). */
export interface ReadmeInputs {
  readonly exampleBaseline: BaselineFile;
  readonly exampleResults: RunResult;
}

/**
 * The comment the gate posts for the example run against the example baseline, as a Markdown blockquote (so its
 * headings read as part of the comment, not of the README). The sticky marker, an invisible HTML comment, is left out.
 */
export function renderExampleComment(inputs: ReadmeInputs): string {
  const result = inputs.exampleResults;
  const report = compareWithBaseline(result, inputs.exampleBaseline, DEFAULT_GATE_SETTINGS);
  const comment = renderGateMarkdown(report, result, { variant: 'comment' }).trimEnd();
  return comment
    .split('\n')
    .map((line) => (line === '' ? '>' : `> ${line}`))
    .join('\n');
}

const SECTIONS: Readonly<Record<string, (inputs: ReadmeInputs) => string>> = {
  'metric-definitions': () => renderMetricDefinitionsMarkdown(),
  'example-comment': renderExampleComment,
};

/** `readme` with every generated section replaced by its current content. Throws if a marker pair is missing. */
export function renderReadmeTables(readme: string, inputs: ReadmeInputs): string {
  let out = readme;
  for (const [name, render] of Object.entries(SECTIONS)) {
    const start = `<!-- ${name}:start -->`;
    const end = `<!-- ${name}:end -->`;
    const i = out.indexOf(start);
    const j = out.indexOf(end);
    if (i < 0 || j < i) throw new Error(`README.md has no ${start} … ${end} section`);
    out = `${out.slice(0, i + start.length)}\n${render(inputs)}\n${out.slice(j)}`;
  }
  return out;
}
