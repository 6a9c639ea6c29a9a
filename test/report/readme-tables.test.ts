import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { renderReadmeTables } from '../../src/report/readme-tables.js';

describe('README generated sections', () => {
  it('match the code (regenerate: node scripts/write-readme-tables.mjs)', async () => {
    const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
    expect(renderReadmeTables(readme)).toBe(readme);
  });

  it('replace only what is between the markers, and complain when a marker is missing', () => {
    const text = 'a\n<!-- metric-definitions:start -->\nold\n<!-- metric-definitions:end -->\nb\n';
    const out = renderReadmeTables(text);
    expect(out.startsWith('a\n<!-- metric-definitions:start -->\n| metric |')).toBe(true);
    expect(out.endsWith('\n<!-- metric-definitions:end -->\nb\n')).toBe(true);
    expect(() => renderReadmeTables('no markers')).toThrow(/metric-definitions:start/);
  });
});
