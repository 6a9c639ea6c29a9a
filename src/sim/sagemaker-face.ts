/**
 * The Amazon SageMaker face of the simulator: POST /endpoints/{EndpointName}/invocations-response-stream, the REST
 * route of InvokeEndpointWithResponseStream, answered as a real-time endpoint running a TGI or LMI container would be.
 * The container output is TGI's /generate_stream SSE for a `{inputs, parameters, stream}` body, or OpenAI chat SSE for
 * a `{messages, ...}` body; SageMaker forwards it as `PayloadPart` event frames cut at arbitrary byte offsets (seeded
 * here), so JSON objects and SSE lines straddle parts.
 *
 * Faults, as SageMaker shows them: an endpoint name other than the `model` knob (when set) → ValidationError (400);
 * the cold start → ModelNotReadyException (429); rate_limit_in_flight → ThrottlingException (400); error_rate → a
 * ModelError (424) wrapping the container's 500; a body the container rejects → ModelError wrapping its 400/422;
 * stream_error_rate → a ModelStreamError exception frame that ends the stream; disconnect and malformed as on the
 * other faces (the malformed event travels inside a payload part).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ConfigInput } from '../config/schema.js';
import {
  generateOnce,
  recordRejection,
  streamGeneration,
  type GenerationJob,
  type StreamWire,
} from './generation.js';
import { BodyTooLargeError, readBody } from './http-io.js';
import { openAIStreamWire } from './openai-face.js';
import {
  completeBody,
  OpenAIRequestError,
  parseOpenAIRequest,
  usageOf,
  type OpenAIRequest,
} from './openai-wire.js';
import { createRng, deriveSeed } from './rng.js';
import type { Face } from './router.js';
import {
  INFERENCE_ID_HEADER,
  modelErrorBody,
  modelStreamErrorFrame,
  PayloadSplitter,
  RESPONSE_STREAM_PATH,
  sendAwsError,
  streamHeaders,
} from './sagemaker-wire.js';
import type { SimAddresses } from './server.js';
import type { Simulation } from './simulation.js';
import {
  tgiGenerateBody,
  TgiRequestError,
  tgiStreamWire,
  parseTgiRequest,
  type TgiRequest,
} from './tgi-wire.js';
import { tokensText } from './vocab.js';

/** Endpoint name of the demo target (the simulator accepts any name unless its `model` knob is set). */
export const SIM_ENDPOINT_NAME = 'llm-perf-gate-sim';

/** Seed stream of the payload split points: distinct from the request and jitter streams of rng.ts. */
const SPLIT_STREAM = 101;

/** The SageMaker target of the demo, pointing the AWS SDK at the simulator's HTTP/1.1 origin. */
export function sagemakerDemoTarget(
  addresses: SimAddresses,
  payload: 'tgi' | 'messages',
): Extract<ConfigInput['target'], { provider: 'sagemaker' }> {
  return {
    provider: 'sagemaker',
    endpoint_name: SIM_ENDPOINT_NAME,
    region: 'us-east-1',
    endpoint_url: addresses.origin,
    payload,
  };
}

/** Create the SageMaker face: it answers its own route and leaves every other path to the next face. */
export function createSageMakerFace(sim: Simulation): Face {
  let streams = 0;
  return (req, res, path) => {
    const match = RESPONSE_STREAM_PATH.exec(path);
    if (match === null) return false;
    const requestId = requestIdOf(req, sim);
    const method = req.method ?? 'GET';
    if (method !== 'POST') {
      sendAwsError(res, 405, 'UnknownOperationException', { message: `${method} ${path}` }, requestId);
      return true;
    }
    const splitter = new PayloadSplitter(createRng(deriveSeed(sim.knobs.seed, SPLIT_STREAM, streams++)));
    invoke(sim, match[1] ?? '', requestId, splitter, req, res).catch((error: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const message = `simulator internal error: ${error instanceof Error ? error.message : String(error)}`;
      sendAwsError(res, 500, 'InternalFailure', { Message: message }, requestId);
    });
    return true;
  };
}

/** The request's InferenceId (the SDK's correlation header), else its X-Request-Id, else a generated id. */
function requestIdOf(req: IncomingMessage, sim: Simulation): string {
  for (const name of [INFERENCE_ID_HEADER, 'x-request-id']) {
    const header = req.headers[name];
    const value = (Array.isArray(header) ? header[0] : header)?.trim();
    if (value !== undefined && value !== '') return value.slice(0, 256);
  }
  return sim.nextRequestId();
}

/** The two container payloads. */
type Payload = { kind: 'tgi'; request: TgiRequest } | { kind: 'messages'; request: OpenAIRequest };

/**
 * Read the container payload: OpenAI chat when the body has `messages`, else TGI's `{inputs, parameters}`.
 * @throws TgiRequestError | OpenAIRequestError (the container's 422 / 400)
 */
function parsePayload(raw: Buffer, defaultMaxTokens: number): Payload {
  let hasMessages = false;
  try {
    const body: unknown = JSON.parse(raw.toString('utf8'));
    hasMessages = typeof body === 'object' && body !== null && 'messages' in body;
  } catch {
    // not JSON: the TGI parser reports it
  }
  return hasMessages
    ? { kind: 'messages', request: parseOpenAIRequest('chat', raw, defaultMaxTokens) }
    : { kind: 'tgi', request: parseTgiRequest(raw, defaultMaxTokens) };
}

/**
 * The container's stream as SageMaker sends it: the wire's bytes cut into PayloadPart frames, an in-stream error as a
 * ModelStreamError exception frame (the event-stream union has no throttling member: stream_throttle_rate sends it too).
 */
function payloadWire(wire: StreamWire, splitter: PayloadSplitter): StreamWire {
  return {
    tokens: (first, count) => splitter.frames(wire.tokens(first, count)),
    malformed: () => splitter.frames(wire.malformed()),
    streamError: (message) => modelStreamErrorFrame(message, 'StreamBroken'),
    end: (written) => splitter.frames(wire.end(written)),
  };
}

async function invoke(
  sim: Simulation,
  encodedName: string,
  requestId: string,
  splitter: PayloadSplitter,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  let raw: Buffer;
  try {
    raw = await readBody(req);
  } catch (error) {
    if (error instanceof BodyTooLargeError) {
      sendAwsError(res, 413, 'ValidationError', { Message: error.message }, requestId);
      recordRejection(sim, { requestId, arrivalMs: sim.now() }, 413, 'bad_request');
    } else {
      res.destroy();
    }
    return;
  }
  const x = { requestId, arrivalMs: sim.now() };
  let endpointName: string;
  try {
    endpointName = decodeURIComponent(encodedName);
  } catch {
    endpointName = encodedName;
  }
  if (!sim.servesModel(endpointName)) {
    const message = `Endpoint ${endpointName} of account 123456789012 not found.`;
    sendAwsError(res, 400, 'ValidationError', { Message: message }, requestId);
    recordRejection(sim, x, 400, 'unknown_model');
    return;
  }
  const coldLeftMs = sim.coldStartLeftMs();
  if (coldLeftMs > 0) {
    const left = (coldLeftMs / 1000).toFixed(1);
    const message = `Model is not ready: loading (cold start, ${left} s left). Retry later.`;
    sendAwsError(res, 429, 'ModelNotReadyException', { Message: message }, requestId);
    recordRejection(sim, x, 429, 'cold_start');
    return;
  }
  let payload: Payload;
  try {
    payload = parsePayload(raw, sim.knobs.default_max_tokens);
  } catch (error) {
    if (!(error instanceof TgiRequestError) && !(error instanceof OpenAIRequestError)) throw error;
    const status = error instanceof TgiRequestError && error.kind !== 'syntax' ? 422 : 400;
    sendAwsError(res, 424, 'ModelError', modelErrorBody(status, error.message, endpointName), requestId);
    recordRejection(sim, x, 424, 'bad_request');
    return;
  }
  const inputTokens =
    payload.kind === 'tgi'
      ? sim.countPromptTokens(payload.request.inputs)
      : payload.request.prompt.kind === 'tokens'
        ? payload.request.prompt.count
        : payload.request.prompt.texts.reduce((sum, t) => sum + sim.countPromptTokens(t), 0);
  if (!sim.enter()) {
    const limit = sim.knobs.rate_limit_in_flight;
    const message = `Rate exceeded: ${sim.inFlight} invocations in flight (limit ${limit}).`;
    sendAwsError(res, 400, 'ThrottlingException', { message }, requestId);
    recordRejection(sim, x, 400, 'rate_limited', inputTokens);
    return;
  }
  const lengths =
    payload.kind === 'tgi'
      ? { maxTokens: payload.request.maxNewTokens, minTokens: 0 }
      : { maxTokens: payload.request.maxTokens, minTokens: payload.request.minTokens };
  const plan = sim.plan(lengths);
  if (plan.kind === 'error') {
    sim.leave();
    const body = modelErrorBody(500, 'Simulated internal server error (error_rate).', endpointName);
    sendAwsError(res, 424, 'ModelError', body, requestId);
    recordRejection(sim, x, 424, 'error_500', inputTokens);
    return;
  }
  const job: GenerationJob = { sim, ...x, inputTokens, plan };

  let wire: StreamWire;
  let complete: () => string;
  let streaming: boolean;
  if (payload.kind === 'tgi') {
    const response = {
      textOffset: plan.textOffset,
      outputTokens: plan.outputTokens,
      finishReason: plan.finishReason,
      inputTokens,
      details: payload.request.details && sim.knobs.usage,
    };
    streaming = payload.request.stream;
    wire = tgiStreamWire(response);
    complete = () => JSON.stringify(tgiGenerateBody(response));
  } else {
    const request = payload.request;
    const meta = {
      api: 'chat' as const,
      requestId,
      created: Math.floor(Date.now() / 1000),
      model: sim.modelName(request.model),
    };
    const reasoning = Math.min(sim.knobs.reasoning_tokens, plan.outputTokens);
    streaming = request.stream;
    wire = openAIStreamWire(meta, plan, {
      reasoningTokens: reasoning,
      usagePromptTokens: request.includeUsage && sim.knobs.usage ? inputTokens : undefined,
    });
    complete = () => {
      const text = {
        reasoning: tokensText(plan.textOffset, 0, reasoning),
        content: tokensText(plan.textOffset, reasoning, plan.outputTokens - reasoning),
      };
      const usage = sim.knobs.usage ? usageOf(inputTokens, plan.outputTokens) : undefined;
      return JSON.stringify(completeBody(meta, text, plan.finishReason, usage));
    };
  }

  res.writeHead(200, streamHeaders(requestId, streaming ? 'text/event-stream' : 'application/json'));
  res.flushHeaders();
  if (streaming) streamGeneration(job, res, payloadWire(wire, splitter));
  else generateOnce(job, res, () => res.end(splitter.frames(complete())));
}
