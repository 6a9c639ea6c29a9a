/**
 * Canonical JSON for hashing: the same data always gives the same bytes, whatever order its keys were written in.
 */

/**
 * Serialises plain data (objects, arrays, strings, finite numbers, booleans, null) with object keys sorted by UTF-16
 * code units and no whitespace; members whose value is undefined are left out, as JSON.stringify does. Throws on
 * anything JSON cannot carry exactly (NaN, Infinity, bigint, functions, symbols), naming where it was found.
 */
export function canonicalJson(value: unknown, path = '$'): string {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value))
      throw new TypeError(`canonical JSON: ${path} is ${value}, not a finite number`);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    return `[${value.map((item, i) => (item === undefined ? 'null' : canonicalJson(item, `${path}[${i}]`))).join(',')}]`;
  }
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const members = Object.keys(record)
      .sort()
      .filter((key) => record[key] !== undefined)
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key], `${path}.${key}`)}`);
    return `{${members.join(',')}}`;
  }
  throw new TypeError(`canonical JSON: ${path} is a ${typeof value}, which JSON cannot represent`);
}
