/**
 * The Amazon Bedrock runtime face of the simulator: POST /model/{modelId}/converse-stream and
 * /model/{modelId}/invoke-with-response-stream, answered with AWS event streams exactly as the AWS SDK expects them.
 * It is served over HTTP/1.1 (a {@link Face} of the shared router) and over HTTP/2 cleartext
 * ({@link createBedrockH2Listener}, the transport the SDK's default NodeHttp2Handler uses), with one code path: the
 * HTTP/2 compatibility API is close enough to node:http that only cutting a response differs.
 *
 * Timing and faults come from the shared {@link Simulation}; the mapping of fault knobs to Bedrock errors is:
 * cold_start_s → 429 ModelNotReadyException, rate_limit_in_flight → 429 ThrottlingException, error_rate → 500
 * InternalServerException (all before the stream); disconnect_rate → socket destroyed (HTTP/1.1) or stream reset
 * (HTTP/2) mid-stream; malformed_rate → one frame with a bad CRC; stream_error_rate → a modelStreamErrorException
 * frame; stream_throttle_rate → a throttlingException frame; split_frames → every frame written in two parts.
 */
import { ServerResponse } from 'node:http';
import type { IncomingMessage } from 'node:http';
import { constants as h2, type Http2ServerRequest, type Http2ServerResponse } from 'node:http2';
import { EVENT_STREAM_CONTENT_TYPE } from './event-stream.js';
import {
  recordRejection,
  streamGeneration,
  type GenerationJob,
  type GenerationResponse,
  type RequestIdentity,
} from './generation.js';
import { BodyTooLargeError, readBody, requestIdOf, sendJson } from './http-io.js';
import {
  bedrockError,
  BedrockRequestError,
  bedrockRoute,
  ConverseFrames,
  InvokeChunks,
  parseConverseRequest,
  parseInvokeRequest,
  type BedrockErrorResponse,
  type BedrockRequest,
  type BedrockRoute,
} from './bedrock-wire.js';
import type { Face } from './router.js';
import type { Simulation } from './simulation.js';
import type { SimFault } from './truth.js';

type Request = IncomingMessage | Http2ServerRequest;
type Response = ServerResponse | Http2ServerResponse;

/** Delay between the two parts of a frame when split_frames is on: long enough to reach the client separately. */
const SPLIT_DELAY_MS = 1;

/** Create the Bedrock face for the HTTP/1.1 router: it answers its routes and leaves every other path to the next face. */
export function createBedrockFace(sim: Simulation): Face {
  return (req, res, path) => handle(sim, req, res, path);
}

/** The request listener of the HTTP/2 (h2c) server: the Bedrock routes, and a Bedrock-style 404 for anything else. */
export function createBedrockH2Listener(
  sim: Simulation,
): (req: Http2ServerRequest, res: Http2ServerResponse) => void {
  return (req, res) => {
    const path = req.url.split('?', 1)[0] ?? '/';
    if (handle(sim, req, res, path)) return;
    const requestId = requestIdOf(req, () => sim.nextRequestId());
    send(
      res,
      bedrockError(404, 'UnknownOperationException', `unknown route: ${req.method} ${path}`, requestId),
    );
  };
}

function handle(sim: Simulation, req: Request, res: Response, path: string): boolean {
  const route = bedrockRoute(path);
  if (route === undefined) return false;
  if (req.method !== 'POST') {
    const requestId = requestIdOf(req, () => sim.nextRequestId());
    const message = `method ${req.method ?? ''} not allowed on ${path}`;
    send(res, bedrockError(405, 'UnknownOperationException', message, requestId), { allow: 'POST' });
    return true;
  }
  generate(sim, route, req, res).catch((error: unknown) => internalError(sim, res, error));
  return true;
}

function send(
  res: Response,
  error: BedrockErrorResponse,
  headers: Readonly<Record<string, string>> = {},
): void {
  sendJson(res, error.status, error.body, { ...error.headers, ...headers });
}

/** A bug in the simulator itself: answer 500 if nothing was sent yet, otherwise cut the stream. */
function internalError(sim: Simulation, res: Response, error: unknown): void {
  if (res.headersSent) {
    cut(res);
    return;
  }
  const message = `simulator internal error: ${error instanceof Error ? error.message : String(error)}`;
  send(res, bedrockError(500, 'InternalServerException', message, sim.nextRequestId()));
}

/** Cut a response mid-stream: destroy the socket (HTTP/1.1) or reset the stream with INTERNAL_ERROR (HTTP/2). */
function cut(res: Response): void {
  if (res instanceof ServerResponse) res.destroy();
  else res.stream.close(h2.NGHTTP2_INTERNAL_ERROR);
}

/** Answer before any generation, and record the truth. */
function reject(
  sim: Simulation,
  res: Response,
  x: RequestIdentity,
  error: BedrockErrorResponse,
  fault: SimFault,
  inputTokens = 0,
): void {
  send(res, error);
  recordRejection(sim, x, error.status, fault, inputTokens);
}

async function generate(sim: Simulation, route: BedrockRoute, req: Request, res: Response): Promise<void> {
  const requestId = requestIdOf(req, () => sim.nextRequestId());
  let raw: Buffer;
  try {
    raw = await readBody(req);
  } catch (error) {
    if (!(error instanceof BodyTooLargeError)) {
      cut(res);
      return;
    }
    const x = { requestId, arrivalMs: sim.now() };
    reject(sim, res, x, bedrockError(413, 'ValidationException', error.message, requestId), 'bad_request');
    return;
  }
  const x: RequestIdentity = { requestId, arrivalMs: sim.now() };

  const coldLeftMs = sim.coldStartLeftMs();
  if (coldLeftMs > 0) {
    const message =
      'Model is not ready for inference. Wait and try your request again. ' +
      `(simulated cold start, ${(coldLeftMs / 1000).toFixed(1)} s left)`;
    reject(sim, res, x, bedrockError(429, 'ModelNotReadyException', message, requestId), 'cold_start');
    return;
  }
  let request: BedrockRequest;
  try {
    const defaultMax = sim.knobs.default_max_tokens;
    request =
      route.api === 'converse' ? parseConverseRequest(raw, defaultMax) : parseInvokeRequest(raw, defaultMax);
  } catch (error) {
    if (!(error instanceof BedrockRequestError)) throw error; // a simulator bug: becomes a 500
    reject(sim, res, x, bedrockError(400, 'ValidationException', error.message, requestId), 'bad_request');
    return;
  }
  if (!sim.servesModel(route.modelId)) {
    const error = bedrockError(
      400,
      'ValidationException',
      'The provided model identifier is invalid.',
      requestId,
    );
    reject(sim, res, x, error, 'unknown_model');
    return;
  }
  if (!sim.enter()) {
    const error = bedrockError(
      429,
      'ThrottlingException',
      'Too many requests, please wait before trying again.',
      requestId,
    );
    reject(sim, res, x, error, 'rate_limited');
    return;
  }

  const inputTokens = request.texts.reduce((sum, text) => sum + sim.countPromptTokens(text), 0);
  const plan = sim.plan({ maxTokens: request.maxTokens, minTokens: request.minTokens });
  if (plan.kind === 'error') {
    sim.leave();
    const message = 'Simulated internal server error (error_rate).';
    reject(
      sim,
      res,
      x,
      bedrockError(500, 'InternalServerException', message, requestId),
      'error_500',
      inputTokens,
    );
    return;
  }

  const reasoning = route.api === 'invoke' && request.style === 'llama' ? 0 : sim.knobs.reasoning_tokens;
  const context = {
    plan,
    inputTokens,
    reasoningTokens: Math.min(reasoning, plan.outputTokens),
    now: () => sim.now(),
    arrivalMs: x.arrivalMs,
    requestId,
    model: sim.modelName(route.modelId),
  };
  const wire =
    route.api === 'converse' ? new ConverseFrames(context) : new InvokeChunks(context, request.style);
  res.writeHead(200, {
    'content-type': EVENT_STREAM_CONTENT_TYPE,
    'x-amzn-requestid': requestId,
    ...(route.api === 'invoke' ? { 'x-amzn-bedrock-content-type': 'application/json' } : {}),
  });
  if (res instanceof ServerResponse) res.flushHeaders();
  const job: GenerationJob = { sim, requestId, arrivalMs: x.arrivalMs, inputTokens, plan };
  streamGeneration(job, responseOut(res, sim.knobs.split_frames), wire);
}

/** The response as the generation loop writes it: cut per transport, every write in two parts with split_frames. */
function responseOut(res: Response, split: boolean): GenerationResponse {
  let closed = false;
  res.on('close', () => {
    closed = true;
  });
  const direct: GenerationResponse = {
    write(chunk, callback) {
      if (closed) return false;
      return res instanceof ServerResponse ? res.write(chunk, callback) : res.write(chunk, callback);
    },
    end(chunk) {
      if (closed) return;
      if (chunk === undefined) res.end();
      else if (res instanceof ServerResponse) res.end(chunk);
      else res.end(chunk);
    },
    destroy: () => cut(res),
    on: (event, listener) => res.on(event, listener),
  };
  return split ? splitWrites(direct, () => closed) : direct;
}

/**
 * Write every chunk in two parts, the second {@link SPLIT_DELAY_MS} later, keeping the order of writes, the end and
 * the cut; a client must reassemble frames that arrive in pieces.
 */
function splitWrites(out: GenerationResponse, isClosed: () => boolean): GenerationResponse {
  let tail: Promise<void> = Promise.resolve();
  const queue = (step: () => void | Promise<void>): void => {
    tail = tail.then(step);
  };
  const writeInParts = async (chunk: string | Uint8Array, callback?: () => void): Promise<void> => {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    if (bytes.length === 0 || isClosed()) return;
    const half = Math.max(1, bytes.length >> 1);
    out.write(bytes.subarray(0, half));
    await new Promise((resolve) => setTimeout(resolve, SPLIT_DELAY_MS));
    if (isClosed()) return;
    out.write(bytes.subarray(half), callback);
  };
  return {
    write(chunk, callback) {
      queue(() => writeInParts(chunk, callback));
      return true;
    },
    end(chunk) {
      queue(async () => {
        if (chunk !== undefined) await writeInParts(chunk);
        out.end();
      });
    },
    destroy() {
      queue(() => {
        out.destroy();
      });
    },
    on: (event, listener) => out.on(event, listener),
  };
}
