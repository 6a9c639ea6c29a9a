/**
 * Amazon SageMaker real-time endpoints (TGI and LMI / DJL containers) through the AWS SDK's
 * InvokeEndpointWithResponseStream. Two request payloads (`payload` in config):
 *
 * - `tgi`: `{"inputs", "parameters": {"max_new_tokens", "details": true, ...extra_body}, "stream": true}`. Neither TGI
 *   nor LMI's common schema can force the output length, so force_output_length sends nothing more (LMI on vLLM takes
 *   `ignore_eos_token` through extra_body); the run's output-length check reports responses that stopped early.
 * - `messages`: `{"messages": [{"role": "user", "content"}], "max_tokens", "stream": true, ...extra_body}`, plus
 *   `"ignore_eos": true` when the length is forced (LMI and vLLM honour it; TGI ignores unknown fields). Token counts
 *   come from the tokenizer unless extra_body asks for usage (`stream_options: {include_usage: true}`).
 *
 * No Accept is sent: the containers choose their streaming format from the body's `stream` flag. The response is a
 * stream of `PayloadPart`s carrying arbitrary slices of the container's output, which is SSE or JSON lines (see
 * sagemaker-framing.ts) and is read with the same stream readers as the TGI and OpenAI providers.
 *
 * Timing: every timestamp is taken when the SDK yields the PayloadPart, after its event-stream decoder (frame
 * reassembly, CRC checks, one promise hop per message) — the closest to the socket the SDK allows; the response time is
 * taken when the SDK's HTTP handler returns the response headers (a middleware placed just after the handler), and a
 * request that opened a connection reports its setup time. SigV4 signing happens inside `send`, after the engine's
 * send stamp: it counts in TTFT like any client-side request preparation.
 *
 * Retries are off (maxAttempts 1): readiness has its own backoff and every measured request is sent once.
 * Credentials come only from the SDK's default chain (environment, profile, web identity / OIDC, instance role).
 */
import {
  InvokeEndpointWithResponseStreamCommand,
  SageMakerRuntimeClient,
  type SageMakerRuntimeClientConfig,
} from '@aws-sdk/client-sagemaker-runtime';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { SageMakerTargetConfig } from '../config/schema.js';
import { createOpenAIStreamBody } from './openai-stream.js';
import { DEFAULT_PROBE_TIMEOUT_MS, PROBE_REQUEST, ProbeOutcome } from './probe-outcome.js';
import { createTimedAgents } from './sagemaker-agent.js';
import type { SageMakerFailure } from './sagemaker-errors.js';
import { SageMakerExchange } from './sagemaker-exchange.js';
import { createFramedBody } from './sagemaker-framing.js';
import { createTgiStreamBody } from './tgi-stream.js';
import { tgiParameters } from './tgi.js';
import type { Clock, ProbeResult, Provider, ProviderRequest, StreamRecorder } from './types.js';

export interface SageMakerProviderOptions {
  readonly clock: Clock;
  /** Socket pool size when the target sets no `max_connections` (normally the scenario concurrency). */
  readonly connections: number;
  /** Time limit of one readiness probe in milliseconds (default 15 000). */
  readonly probeTimeoutMs?: number;
  /**
   * Credentials to sign with instead of the SDK default chain. Not a config field: for tests and the simulator demo,
   * which must not need a user's real credentials.
   */
  readonly credentials?: SageMakerRuntimeClientConfig['credentials'];
}

/** The request fields that shape the body. */
export type SageMakerBodyRequest = Pick<ProviderRequest, 'prompt' | 'maxTokens' | 'forceOutputLength'>;

/** SageMaker's limit on InferenceId, the header the request id travels in (for correlation with data capture). */
const MAX_INFERENCE_ID_CHARS = 64;
const INFERENCE_ID = /^\S[\x20-\x7e]*$/;

/** The JSON body of one request for `target.payload`, with a fixed key order (identical requests, identical bytes). */
export function sagemakerRequestBody(
  target: Pick<SageMakerTargetConfig, 'payload' | 'extra_body'>,
  request: SageMakerBodyRequest,
): string {
  if (target.payload === 'tgi') {
    return JSON.stringify({
      inputs: request.prompt,
      parameters: tgiParameters(target.extra_body, request),
      stream: true,
    });
  }
  // A null-prototype object, so an extra_body key named "__proto__" is an ordinary field.
  const body = Object.create(null) as Record<string, unknown>;
  body['messages'] = [{ role: 'user', content: request.prompt }];
  body['max_tokens'] = request.maxTokens;
  body['stream'] = true;
  for (const [key, value] of Object.entries(target.extra_body)) body[key] = value;
  if (request.forceOutputLength) body['ignore_eos'] = true;
  return JSON.stringify(body);
}

/**
 * A JSON-lines chat stream (LMI) has no `[DONE]`: its last line finishing the response (a finish_reason, or a final
 * usage chunk) stands for it.
 */
function chatLinesEnd(lastLine: string): string | undefined {
  try {
    const chunk = JSON.parse(lastLine) as { choices?: { finish_reason?: unknown }[]; usage?: unknown };
    const finish = chunk.choices?.[0]?.finish_reason;
    const finished =
      (typeof finish === 'string' && finish !== '') ||
      (Array.isArray(chunk.choices) && chunk.choices.length === 0 && typeof chunk.usage === 'object');
    return finished ? 'data: [DONE]\n\n' : undefined;
  } catch {
    return undefined;
  }
}

/** Create the provider. The SDK client is created at once; credentials are resolved on the first request. */
export function createSageMakerProvider(
  target: SageMakerTargetConfig,
  options: SageMakerProviderOptions,
): Provider {
  const { clock } = options;
  const agents = createTimedAgents(clock, target.max_connections ?? options.connections);
  const client = new SageMakerRuntimeClient({
    region: target.region,
    ...(target.endpoint_url === undefined ? {} : { endpoint: target.endpoint_url }),
    maxAttempts: 1,
    // The engine owns per-request timeouts (through the abort signal); the SDK's own would cut long generations.
    requestHandler: new NodeHttpHandler({
      httpAgent: agents.http,
      httpsAgent: agents.https,
      requestTimeout: 0,
      socketTimeout: 0,
    }),
    ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
  });
  const label =
    `SageMaker endpoint ${target.endpoint_name}` +
    (target.inference_component === undefined ? '' : ` (inference component ${target.inference_component})`);
  const claimConnect = (socket: object | null | undefined): number | undefined => agents.times.claim(socket);

  /** Send one request; resolves with its failure (undefined when it ended cleanly). Never rejects. */
  const invoke = async (
    request: ProviderRequest,
    recorder: StreamRecorder,
    signal: AbortSignal,
  ): Promise<SageMakerFailure | undefined> => {
    const exchange = new SageMakerExchange(recorder, clock, claimConnect);
    const onAbort = (): void => {
      exchange.fail(clock(), { category: 'aborted', detail: String(signal.reason), retryable: false });
    };
    if (signal.aborted) {
      onAbort();
      return exchange.failure;
    }
    signal.addEventListener('abort', onAbort);
    try {
      await exchange.run(client, commandFor(target, request), (control) =>
        target.payload === 'tgi'
          ? createFramedBody(createTgiStreamBody(control))
          : createFramedBody(createOpenAIStreamBody('chat', control), chatLinesEnd),
      );
      return exchange.failure;
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  };

  return {
    id: 'sagemaker',
    async send(request: ProviderRequest, recorder: StreamRecorder, signal: AbortSignal): Promise<void> {
      await invoke(request, recorder, signal);
    },
    async probe(signal: AbortSignal): Promise<ProbeResult> {
      const timeoutMs = options.probeTimeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS;
      const timeout = AbortSignal.timeout(timeoutMs);
      const failure = await invoke(PROBE_REQUEST, new ProbeOutcome(), AbortSignal.any([signal, timeout]));
      if (failure === undefined) return { ready: true };
      if (failure.category === 'aborted') {
        return signal.aborted || !timeout.aborted
          ? { ready: false, reason: 'readiness probe cancelled', retryable: false }
          : { ready: false, reason: `no answer from ${label} within ${timeoutMs / 1000} s`, retryable: true };
      }
      return { ready: false, reason: `${label}: ${failure.detail}`, retryable: failure.retryable };
    },
    close(): Promise<void> {
      client.destroy();
      agents.destroy();
      return Promise.resolve();
    },
  };
}

/** The SDK command for one request: the request id travels as InferenceId when SageMaker accepts it as one. */
function commandFor(
  target: SageMakerTargetConfig,
  request: ProviderRequest,
): InvokeEndpointWithResponseStreamCommand {
  const id = request.requestId;
  return new InvokeEndpointWithResponseStreamCommand({
    EndpointName: target.endpoint_name,
    ...(target.inference_component === undefined
      ? {}
      : { InferenceComponentName: target.inference_component }),
    ContentType: 'application/json',
    Body: Buffer.from(sagemakerRequestBody(target, request), 'utf8'),
    ...(id.length <= MAX_INFERENCE_ID_CHARS && INFERENCE_ID.test(id) ? { InferenceId: id } : {}),
  });
}
