/**
 * What the demo needs to measure the simulator through the Bedrock provider: a target pointing at the simulator's
 * Bedrock face, and dummy AWS credentials. The simulator does not check signatures, but the AWS SDK will not send a
 * request without credentials, and the provider takes them only from the SDK's default chain.
 */
import type { z } from 'zod';
import type { bedrockTargetSchema } from '../config/schema.js';
import type { SimAddresses } from './server.js';

/** A Bedrock target as written in a config file (before defaults). */
export type BedrockTargetInput = z.input<typeof bedrockTargetSchema>;

/** The model id the demo sends: an imported-model ARN, so the URL-encoded path of Custom Model Import is exercised. */
export const DEMO_MODEL_ARN = 'arn:aws:bedrock:us-east-1:000000000000:imported-model/llm-perf-gate-sim';

/** Dummy credentials for the simulator: not a key pair, and not shaped like one (no secret scanner flags them). */
export const SIMULATOR_CREDENTIALS = {
  AWS_ACCESS_KEY_ID: 'LLMPERFGATESIMULATOR',
  AWS_SECRET_ACCESS_KEY: 'llm-perf-gate-simulator-not-a-secret',
} as const;

/**
 * The Bedrock target of the demo: ConverseStream or InvokeModelWithResponseStream (Llama body) against the
 * simulator, over HTTP/2 cleartext (the SDK's default handler) or HTTP/1.1.
 */
export function bedrockDemoTarget(
  addresses: SimAddresses,
  api: 'converse' | 'invoke',
  handler: 'http2' | 'http1' = 'http2',
): BedrockTargetInput {
  return {
    provider: 'bedrock',
    model_id: DEMO_MODEL_ARN,
    region: 'us-east-1',
    api,
    ...(api === 'invoke' ? { invoke_body: 'llama' as const } : {}),
    endpoint_url: handler === 'http2' ? addresses.h2Origin : addresses.origin,
    http: { handler },
  };
}

/**
 * Put the simulator's dummy credentials in `env` (normally process.env) unless both AWS_ACCESS_KEY_ID and
 * AWS_SECRET_ACCESS_KEY are already set, so the SDK's default chain finds credentials without looking at profiles or
 * instance metadata. Returns whether it set them. Call it only in a process that talks to the simulator alone.
 */
export function useSimulatorCredentials(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env['AWS_ACCESS_KEY_ID'] !== undefined && env['AWS_SECRET_ACCESS_KEY'] !== undefined) return false;
  env['AWS_ACCESS_KEY_ID'] = SIMULATOR_CREDENTIALS.AWS_ACCESS_KEY_ID;
  env['AWS_SECRET_ACCESS_KEY'] = SIMULATOR_CREDENTIALS.AWS_SECRET_ACCESS_KEY;
  delete env['AWS_SESSION_TOKEN'];
  return true;
}
