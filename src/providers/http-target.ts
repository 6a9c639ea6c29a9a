/**
 * What the HTTP providers (OpenAI-compatible, TGI) derive alike from their target config: TLS connector options, the
 * static request headers, and the strings that must never appear in a failure detail.
 */
import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import type { buildConnector } from 'undici';
import type { OpenAITargetConfig } from '../config/schema.js';

/** The target's `tls` block (the same shape for every HTTP provider). */
export type TargetTls = OpenAITargetConfig['tls'];

/** The target fields that shape request headers and secrets. */
export interface HeaderFields {
  readonly api_key?: string | undefined;
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * Connector options: extra trusted CAs (added to Node's bundled roots) and certificate checking.
 * @throws Error naming target.tls.ca_file when the file cannot be read
 */
export function connectorOptions(tls: TargetTls): buildConnector.BuildOptions {
  if (tls === undefined) return {};
  const options: buildConnector.BuildOptions = {};
  if (tls.ca_file !== undefined) {
    let pem: string;
    try {
      pem = readFileSync(tls.ca_file, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? String(error);
      throw new Error(`target.tls.ca_file: cannot read "${tls.ca_file}" (${code})`, { cause: error });
    }
    options.ca = [...rootCertificates, pem];
  }
  if (tls.insecure_skip_verify) options.rejectUnauthorized = false;
  return options;
}

/**
 * Header name/value pairs sent with every request: content-type JSON, `accept`, the bearer token, then the target's
 * headers, which override the defaults (names compare case-insensitively). x-request-id is left to the per-request
 * code, which appends it so that it always wins.
 */
export function staticHeaders(target: HeaderFields, accept: string): string[] {
  const byName = new Map<string, [string, string]>();
  const set = (name: string, value: string): void => {
    byName.set(name.toLowerCase(), [name, value]);
  };
  set('content-type', 'application/json');
  set('accept', accept);
  if (target.api_key !== undefined) set('authorization', `Bearer ${target.api_key}`);
  for (const [name, value] of Object.entries(target.headers)) set(name, value);
  byName.delete('x-request-id');
  return [...byName.values()].flat();
}

/** The API key and header values, redacted from every failure detail (values under 4 characters are not secrets). */
export function targetSecrets(target: HeaderFields): string[] {
  return [target.api_key, ...Object.values(target.headers)].filter(
    (s): s is string => s !== undefined && s.length >= 4,
  );
}
