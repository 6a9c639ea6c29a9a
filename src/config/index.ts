/** Config loading: the public entry of src/config (schema, loading, errors, redaction, JSON Schema). */
export { ConfigError, formatIssue } from './errors.js';
export type { ConfigIssue } from './errors.js';
export { loadConfig, parseConfigText } from './load.js';
export type { Env, LoadedConfig } from './load.js';
export { REDACTED, SECRET_ENV_NAME, redactConfig } from './redact.js';
export { configJsonSchema, configJsonSchemaText } from './json-schema.js';
export { configSchema } from './schema.js';
export type {
  Config,
  ConfigInput,
  OpenAITargetConfig,
  ReadinessConfig,
  ScenarioConfig,
  TargetConfig,
  TokenDistribution,
} from './schema.js';
