import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CORPUS_FILE, corpusText, defaultCorpusPath, loadCorpus } from '../../src/workload/corpus.js';
import { countTokens, encodeTokens } from '../../src/workload/tokenizer.js';

const corpusDir = new URL('../../fixtures/corpus/', import.meta.url);
const scratch = mkdtempSync(join(tmpdir(), 'lpg-corpus-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('shipped corpus', () => {
  it('is found from the module, at most 1 MB, and matches the sha256 in its README', () => {
    const path = defaultCorpusPath();
    expect(path.endsWith(join('fixtures', 'corpus', CORPUS_FILE))).toBe(true);
    expect(statSync(path).size).toBeLessThanOrEqual(1024 * 1024);
    const corpus = loadCorpus();
    const readme = readFileSync(new URL('README.md', corpusDir), 'utf8');
    expect(readme).toContain(`sha256: \`${corpus.sha256}\``);
    expect(createHash('sha256').update(readFileSync(path)).digest('hex')).toBe(corpus.sha256);
  });

  it('is tokenized once per process', () => {
    expect(loadCorpus()).toBe(loadCorpus(defaultCorpusPath()));
  });

  it('maps tokens to character offsets', () => {
    const corpus = loadCorpus();
    expect(corpus.tokenCount).toBe(encodeTokens(corpus.text).length);
    expect(corpus.offsets[corpus.tokenCount]).toBe(corpus.text.length);
    const start = corpus.wordStarts[100] ?? 0;
    const text = corpusText(corpus, start, 50);
    expect(text).toMatch(/^ [A-Za-z]/);
    expect(encodeTokens(corpus.text).slice(start, start + 50)).toEqual(encodeTokens(text));
  });

  it('reads as a cycle past its end', () => {
    const corpus = loadCorpus();
    const tail = corpusText(corpus, corpus.tokenCount - 3, 3);
    const head = corpusText(corpus, 0, 4);
    expect(corpusText(corpus, corpus.tokenCount - 3, 7)).toBe(tail + head);
    const long = corpusText(corpus, 5, corpus.tokenCount * 2);
    expect(long.length).toBe(corpus.text.length * 2);
    expect(countTokens(long)).toBeGreaterThan(corpus.tokenCount * 2 - 10);
  });
});

describe('loadCorpus', () => {
  it('rejects a corpus with non-ASCII text, naming the file and offset', () => {
    const file = join(scratch, 'accented.txt');
    writeFileSync(file, 'A caf\u00e9 on the corner.\n');
    expect(() => loadCorpus(file)).toThrow(/accented\.txt: byte 0xc3 at byte offset 5/);
  });

  it('rejects an empty corpus', () => {
    const file = join(scratch, 'empty.txt');
    writeFileSync(file, '');
    expect(() => loadCorpus(file)).toThrow(/empty\.txt is empty/);
  });
});
