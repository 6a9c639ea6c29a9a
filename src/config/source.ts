/**
 * The config file as a YAML document with positions: parsing (JSON files use the same parser, YAML 1.2 being a
 * superset of JSON, so they get line numbers too), syntax problems, and the line of any field path.
 */
import { LineCounter, isAlias, isMap, isNode, isScalar, isSeq, parseDocument } from 'yaml';
import type { Document } from 'yaml';

/** A 1-based position in the file. */
export interface Position {
  readonly line: number;
  readonly column: number;
}

/** A problem located in the file but not tied to a field. */
export interface SourceProblem extends Position {
  readonly message: string;
}

/** A parsed config file. */
export interface ConfigSource {
  readonly doc: Document.Parsed;
  readonly lineCounter: LineCounter;
  /** YAML syntax errors (duplicate keys, bad indentation, unclosed quotes, several documents, ...). */
  readonly syntaxProblems: readonly SourceProblem[];
}

/** Parse `text` as one YAML document, recording line starts so that any node can be located. */
export function parseSource(text: string): ConfigSource {
  const lineCounter = new LineCounter();
  // prettyErrors: false keeps yaml from appending the offending source line (which may hold a secret) to its messages.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const syntaxProblems = doc.errors.map((error) => {
    const { line, col } = lineCounter.linePos(error.pos[0]);
    return { line, column: col, message: error.message };
  });
  return { doc, lineCounter, syntaxProblems };
}

/** Plain data for validation, or the problem (an alias whose anchor is missing, too many aliases). */
export function sourceToData(
  source: ConfigSource,
): { ok: true; data: unknown } | { ok: false; problem: SourceProblem } {
  try {
    return { ok: true, data: source.doc.toJS() };
  } catch (error) {
    const alias = firstUnresolvedAlias(source);
    const at = alias ?? locate(source, []) ?? { line: 1, column: 1 };
    return { ok: false, problem: { ...at, message: error instanceof Error ? error.message : String(error) } };
  }
}

function firstUnresolvedAlias(source: ConfigSource): Position | undefined {
  const find = (node: unknown): Position | undefined => {
    if (isAlias(node)) {
      return node.resolve(source.doc) === undefined && node.range
        ? position(source, node.range[0])
        : undefined;
    }
    if (isMap(node)) {
      for (const pair of node.items) {
        const found = find(pair.key) ?? find(pair.value);
        if (found) return found;
      }
    } else if (isSeq(node)) {
      for (const item of node.items) {
        const found = find(item);
        if (found) return found;
      }
    }
    return undefined;
  };
  return find(source.doc.contents);
}

function position(source: ConfigSource, offset: number): Position {
  const { line, col } = source.lineCounter.linePos(offset);
  return { line, column: col };
}

/**
 * Where the field at `path` is written: the line of its key for mapping entries (`concurrency: eight` or
 * `target:` above a nested block), the start of the item for list entries. When the path does not exist in the file
 * (a missing field), the position of its deepest ancestor that does.
 */
export function locate(source: ConfigSource, path: readonly PropertyKey[]): Position | undefined {
  let node: unknown = source.doc.contents;
  let at = isNode(node) ? node.range?.[0] : undefined;
  for (const segment of path) {
    if (isAlias(node)) node = node.resolve(source.doc);
    if (isMap(node)) {
      const pair = node.items.find((p) => String(isScalar(p.key) ? p.key.value : p.key) === String(segment));
      if (!pair) break;
      if (isNode(pair.key) && pair.key.range) at = pair.key.range[0];
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment];
      if (item === undefined) break;
      if (isNode(item) && item.range) at = item.range[0];
      node = item;
    } else {
      break;
    }
  }
  return at === undefined ? undefined : position(source, at);
}
