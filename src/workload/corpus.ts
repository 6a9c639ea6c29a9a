/**
 * The shipped text corpus prompts are cut from, tokenized once per process.
 *
 * The corpus is plain ASCII (fixtures/corpus/README.md says how it was made), so every token boundary is also a
 * character boundary: the text of any run of tokens is a plain substring, with no split UTF-8 sequences to repair.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeTokens, encodeTokens } from './tokenizer.js';

/** File name of the default corpus under fixtures/corpus/. */
export const CORPUS_FILE = 'state-of-the-union-1913-2021.txt';

/** How many parent folders of this module are searched for fixtures/corpus/ (src/workload, lib/src/workload, dist). */
const SEARCH_DEPTH = 6;

export interface Corpus {
  /** Absolute path of the file. */
  readonly path: string;
  readonly text: string;
  /** sha256 (hex) of the file's bytes. */
  readonly sha256: string;
  readonly tokenCount: number;
  /** Character offset where token j starts; offsets[tokenCount] is the text length. */
  readonly offsets: Uint32Array;
  /** Indices of tokens that start a word (a space then a letter): the places where prompt bodies begin. */
  readonly wordStarts: Uint32Array;
}

const loaded = new Map<string, Corpus>();

/**
 * Finds fixtures/corpus/{@link CORPUS_FILE} in the nearest folder above this module, so the same code works from the
 * sources, the compiled lib/ and the bundled dist/ of a checked-out action.
 */
export function defaultCorpusPath(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  const searched: string[] = [];
  for (let level = 0; level < SEARCH_DEPTH; level++) {
    const candidate = join(dir, 'fixtures', 'corpus', CORPUS_FILE);
    if (existsSync(candidate)) return candidate;
    searched.push(candidate);
    dir = dirname(dir);
  }
  throw new Error(`workload corpus not found; looked for ${searched.join(', ')}`);
}

/** Reads and tokenizes a corpus file, once per path and process. */
export function loadCorpus(path: string = defaultCorpusPath()): Corpus {
  const absolute = resolve(path);
  const cached = loaded.get(absolute);
  if (cached !== undefined) return cached;
  const corpus = tokenizeCorpus(absolute, readFileSync(absolute));
  loaded.set(absolute, corpus);
  return corpus;
}

function tokenizeCorpus(path: string, bytes: Buffer): Corpus {
  const text = bytes.toString('latin1');
  const nonAscii = /[^\x20-\x7e\n]/.exec(text);
  if (nonAscii !== null) {
    throw new Error(
      `workload corpus ${path}: byte 0x${nonAscii[0].charCodeAt(0).toString(16)} at byte offset ${nonAscii.index}; ` +
        'only printable ASCII and newlines are allowed',
    );
  }
  const tokens = encodeTokens(text);
  if (tokens.length === 0) throw new Error(`workload corpus ${path} is empty`);
  const offsets = new Uint32Array(tokens.length + 1);
  const starts: number[] = [];
  let offset = 0;
  tokens.forEach((token, j) => {
    offsets[j] = offset;
    const piece = decodeTokens([token]);
    if (/^ [A-Za-z]/.test(piece)) starts.push(j);
    offset += piece.length;
  });
  offsets[tokens.length] = offset;
  if (offset !== text.length)
    throw new Error(`workload corpus ${path}: tokens do not decode back to the text`);
  if (starts.length === 0) throw new Error(`workload corpus ${path} has no words to start a prompt at`);
  return {
    path,
    text,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    tokenCount: tokens.length,
    offsets,
    wordStarts: Uint32Array.from(starts),
  };
}

/**
 * Text of `count` consecutive corpus tokens starting at token `start`, reading the corpus as a cycle (after its last
 * token comes its first), so prompts longer than the corpus are possible.
 */
export function corpusText(corpus: Corpus, start: number, count: number): string {
  const { text, offsets, tokenCount } = corpus;
  let out = '';
  let position = start % tokenCount;
  let remaining = count;
  while (remaining > 0) {
    const take = Math.min(remaining, tokenCount - position);
    out += text.slice(offsets[position], offsets[position + take]);
    remaining -= take;
    position = 0;
  }
  return out;
}
