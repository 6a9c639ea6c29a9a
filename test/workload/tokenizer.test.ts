import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { countTokens, decodeTokens, encodeTokens, TOKENIZER_ID } from '../../src/workload/tokenizer.js';

describe('tokenizer', () => {
  it('names the installed gpt-tokenizer version', () => {
    const pkg = JSON.parse(
      readFileSync(new URL('../../node_modules/gpt-tokenizer/package.json', import.meta.url), 'utf8'),
    );
    expect(TOKENIZER_ID).toBe(`gpt-tokenizer@${pkg.version}/cl100k_base`);
  });

  it('is cl100k_base (known token ids)', () => {
    expect(encodeTokens('hello world')).toEqual([15339, 1917]);
    expect(countTokens('The quick brown fox jumps over the lazy dog.')).toBe(10);
    expect(countTokens('')).toBe(0);
  });

  it('treats special-token markers as plain text instead of throwing', () => {
    expect(countTokens('a <|endoftext|> b')).toBe(encodeTokens('a <|endoftext|> b').length);
    expect(countTokens('<|endoftext|>')).toBeGreaterThan(1);
  });

  it('decodes what it encodes', () => {
    const text = 'State of the Union, 1913 -- "Gentlemen of the Congress."';
    expect(decodeTokens(encodeTokens(text))).toBe(text);
  });
});
