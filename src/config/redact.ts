/**
 * Which config values are secrets, and a redacted copy of a config that is safe to write to results and logs.
 *
 * Secrets are: the value of any `api_key` field, every value of a `headers` map, the userinfo of URLs
 * (`https://user:PASSWORD@host`), and every value taken from an environment variable whose name looks like a
 * credential ({@link SECRET_ENV_NAME}).
 */

/** Field names whose values are secrets wherever they appear. */
const SECRET_FIELDS: ReadonlySet<string> = new Set(['api_key']);
/** Field names of maps whose every value is a secret (header values carry tokens: Authorization, X-Api-Key, ...). */
const SECRET_MAPS: ReadonlySet<string> = new Set(['headers']);

/** Environment variable names whose values are treated as secrets wherever they are interpolated. */
export const SECRET_ENV_NAME = /KEY|TOKEN|SECRET|PASSWORD|CREDENTIAL|AUTH/i;

/**
 * Shorter strings are not collected as secrets: masking every "a" or "on" in logs and messages would destroy them and
 * protect nothing. Secret fields (api_key, header values) are still hidden and redacted by name at any length.
 */
const MIN_SECRET_LENGTH = 4;

/** What every secret is replaced with. */
export const REDACTED = '***';

/**
 * Whether the field at `path` holds a secret by its name alone: `target.api_key`, `target.headers.Authorization`,
 * and `target.headers` itself (a mistyped headers scalar such as `"Authorization: Bearer ..."` is still secret).
 */
export function isSecretPath(path: readonly PropertyKey[]): boolean {
  const last = path[path.length - 1];
  const parent = path[path.length - 2];
  return (
    (typeof last === 'string' && (SECRET_FIELDS.has(last) || SECRET_MAPS.has(last))) ||
    (typeof parent === 'string' && SECRET_MAPS.has(parent))
  );
}

// scheme://userinfo@ where userinfo is `user:password` or a lone token; stops at the first / ? # of the authority.
const URL_USERINFO = /^([A-Za-z][A-Za-z0-9+.-]*:\/\/)([^/?#@]*)@/;

/** The secret part of a URL's userinfo: the password of `user:password@`, or a lone `token@`. */
function urlCredential(text: string): { prefix: string; user: string; secret: string } | undefined {
  const match = URL_USERINFO.exec(text);
  if (!match) return undefined;
  const [, scheme = '', userinfo = ''] = match;
  const colon = userinfo.indexOf(':');
  const secret = colon < 0 ? userinfo : userinfo.slice(colon + 1);
  if (secret === '') return undefined;
  return { prefix: scheme, user: colon < 0 ? '' : userinfo.slice(0, colon + 1), secret };
}

/** `https://user:pass@host/v1` → `https://user:***@host/v1`; `https://token@host` → `https://***@host`. */
export function maskUrlCredentials(text: string): string {
  const credential = urlCredential(text);
  if (!credential) return text;
  const { prefix, user } = credential;
  return `${prefix}${user}${REDACTED}@${text.slice(text.indexOf('@', prefix.length) + 1)}`;
}

/**
 * Every secret string in `data` (any parsed config, valid or not): api_key values, header values, URL credentials,
 * plus `extra` (values of credential-like environment variables). Unique, at least four characters long, longest
 * first, ready for `core.setSecret` and for {@link redactConfig}.
 */
export function collectSecrets(data: unknown, extra: readonly string[] = []): string[] {
  const found = new Set<string>(extra);
  const walk = (value: unknown, path: readonly PropertyKey[]): void => {
    if (typeof value === 'string') {
      if (isSecretPath(path)) found.add(value);
      const credential = urlCredential(value);
      if (credential) found.add(credential.secret);
    } else if (Array.isArray(value)) {
      value.forEach((item, index) => walk(item, [...path, index]));
    } else if (isPlainObject(value)) {
      for (const [key, item] of Object.entries(value)) walk(item, [...path, key]);
    }
  };
  walk(data, []);
  return [...found]
    .filter((secret) => secret.length >= MIN_SECRET_LENGTH)
    .sort((a, b) => b.length - a.length);
}

/** Whether `text` contains any of `secrets`. */
export function containsSecret(text: string, secrets: readonly string[]): boolean {
  return secrets.some((secret) => secret !== '' && text.includes(secret));
}

/** `text` with every occurrence of every secret replaced by {@link REDACTED}. */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    if (secret !== '') out = out.split(secret).join(REDACTED);
  }
  return out;
}

/**
 * A deep copy of `config` that is safe to write to results: api_key and header values become "***", URL credentials
 * are masked, and any string containing one of `secrets` (pass `LoadedConfig.secrets`, which includes values taken
 * from credential-like environment variables) becomes "***". The shape is unchanged, so the type is too.
 */
export function redactConfig<T>(config: T, secrets: readonly string[] = []): T {
  const copy = (value: unknown, path: readonly PropertyKey[]): unknown => {
    if (typeof value === 'string') {
      if (isSecretPath(path) || containsSecret(value, secrets)) return REDACTED;
      return maskUrlCredentials(value);
    }
    if (Array.isArray(value)) return value.map((item, index) => copy(item, [...path, index]));
    if (isPlainObject(value)) {
      return Object.fromEntries(
        Object.entries(value).map(([key, item]) => [key, copy(item, [...path, key])]),
      );
    }
    return value;
  };
  return copy(config, []) as T;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
