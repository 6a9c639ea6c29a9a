/**
 * Provider factory: turns a validated target config into the {@link Provider} for its wire protocol.
 * Adding a protocol is one line in {@link FACTORIES} (the mapped type makes a missing entry a compile error).
 */
import type { TargetConfig } from '../config/schema.js';
import { createBedrockProvider } from './bedrock.js';
import { createOpenAIProvider } from './openai.js';
import { createSageMakerProvider } from './sagemaker.js';
import { createTgiProvider } from './tgi.js';
import type { Clock, Provider } from './types.js';

/** What every provider is created with. */
export interface ProviderFactoryOptions {
  /** Monotonic clock used for every timestamp. */
  readonly clock: Clock;
  /** Scenario concurrency: the default connection pool size. */
  readonly concurrency: number;
}

type Factories = {
  readonly [P in TargetConfig['provider']]: (
    target: Extract<TargetConfig, { provider: P }>,
    options: ProviderFactoryOptions,
  ) => Provider;
};

const FACTORIES: Factories = {
  openai: (target, { clock, concurrency }) =>
    createOpenAIProvider(target, { clock, connections: concurrency }),
  sagemaker: (target, { clock, concurrency }) =>
    createSageMakerProvider(target, { clock, connections: concurrency }),
  tgi: (target, { clock, concurrency }) => createTgiProvider(target, { clock, connections: concurrency }),
  bedrock: (target, { clock, concurrency }) =>
    createBedrockProvider(target, { clock, connections: concurrency }),
};

/** Create the provider for `target`. Throws when the target cannot be set up (e.g. an unreadable tls.ca_file). */
export function createProvider(target: TargetConfig, options: ProviderFactoryOptions): Provider {
  const create = FACTORIES[target.provider] as (
    target: TargetConfig,
    options: ProviderFactoryOptions,
  ) => Provider;
  return create(target, options);
}

/**
 * How many connections the provider for `target` will open when asked for `requested`: the target's own
 * max_connections where it sets one. Bedrock over HTTP/2 opens a session per stream, so it is never the limit.
 */
export function effectiveConnections(target: TargetConfig, requested: number): number {
  switch (target.provider) {
    case 'openai':
    case 'tgi':
    case 'sagemaker':
      return target.max_connections ?? requested;
    case 'bedrock':
      return target.http.handler === 'http1'
        ? (target.http.max_connections ?? requested)
        : Number.POSITIVE_INFINITY;
  }
}
