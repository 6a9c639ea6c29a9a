/**
 * The README sections generated from code, so documentation and behaviour cannot drift: each lives between
 * `<!-- NAME:start -->` and `<!-- NAME:end -->` markers. scripts/write-readme-tables.mjs rewrites them; a test checks
 * the committed README matches.
 */
import { renderMetricDefinitionsMarkdown } from '../metrics/definitions.js';

const SECTIONS: Readonly<Record<string, () => string>> = {
  'metric-definitions': renderMetricDefinitionsMarkdown,
};

/** `readme` with every generated section replaced by its current content. Throws if a marker pair is missing. */
export function renderReadmeTables(readme: string): string {
  let out = readme;
  for (const [name, render] of Object.entries(SECTIONS)) {
    const start = `<!-- ${name}:start -->`;
    const end = `<!-- ${name}:end -->`;
    const i = out.indexOf(start);
    const j = out.indexOf(end);
    if (i < 0 || j < i) throw new Error(`README.md has no ${start} … ${end} section`);
    out = `${out.slice(0, i + start.length)}\n${render()}\n${out.slice(j)}`;
  }
  return out;
}
