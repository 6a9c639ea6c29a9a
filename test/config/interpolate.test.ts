import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { interpolate } from '../../src/config/interpolate.js';

describe('interpolate', () => {
  const env = { HOST: 'gpu-1', PORT: '8000', EMPTY: '' };

  it('replaces every reference and lists the variables used', () => {
    expect(interpolate('http://${HOST}:${PORT}/v1', env)).toEqual({
      ok: true,
      value: 'http://gpu-1:8000/v1',
      variables: [
        { name: 'HOST', value: 'gpu-1' },
        { name: 'PORT', value: '8000' },
      ],
    });
  });

  it('uses the default when the variable is unset or empty, and does not list it', () => {
    expect(interpolate('${MISSING:-a b}|${EMPTY:-x}|${EMPTY:-}|${HOST:-other}', env)).toEqual({
      ok: true,
      value: 'a b|x||gpu-1',
      variables: [{ name: 'HOST', value: 'gpu-1' }],
    });
  });

  it('treats $${ as a literal ${ and leaves other dollars alone', () => {
    expect(interpolate('$${HOST} costs $5, $$ and $ {x} ${HOST}$', env)).toEqual({
      ok: true,
      value: '${HOST} costs $5, $$ and $ {x} gpu-1$',
      variables: [{ name: 'HOST', value: 'gpu-1' }],
    });
  });

  it('reports every unset or empty variable in the string', () => {
    expect(interpolate('${A}/${HOST}/${EMPTY}/${B}', env)).toEqual({
      ok: false,
      problems: [
        'environment variable A is not set',
        'environment variable EMPTY is empty (write ${EMPTY:-} to accept an empty value)',
        'environment variable B is not set',
      ],
    });
  });

  it('rejects malformed references', () => {
    for (const text of ['${}', '${1ABC}', '${A B}', '${A:=x}', '${A-x}']) {
      expect(interpolate(text, env), text).toEqual({
        ok: false,
        problems: [expect.stringMatching(/^invalid variable reference/)],
      });
    }
    expect(interpolate('x ${HOST', env)).toEqual({
      ok: false,
      problems: [expect.stringMatching(/^unterminated "\$\{"/)],
    });
  });

  it('never changes a string without ${', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        fc.pre(!text.includes('${'));
        const result = interpolate(text, env);
        expect(result).toEqual({ ok: true, value: text, variables: [] });
      }),
    );
  });

  it('turns any text back into itself after escaping every ${ as $${', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('$', '{', '}', 'a', ':', '-', ' ') }), (text) => {
        const escaped = text.replaceAll('${', () => '$${');
        expect(interpolate(escaped, {})).toEqual({ ok: true, value: text, variables: [] });
      }),
    );
  });
});
