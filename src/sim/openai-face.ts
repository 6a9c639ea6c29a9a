/**
 * The OpenAI-compatible HTTP face of the simulator, shaped like vLLM's server:
 * POST /v1/chat/completions and /v1/completions (streaming SSE or one JSON body), GET /v1/models and GET /health.
 * Timing comes from the shared {@link Simulation}; this file only speaks the wire.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BodyTooLargeError, readBody, requestIdOf, sendJson } from './http-io.js';
import {
  completeBody,
  DONE_EVENT,
  errorBody,
  OpenAIChunks,
  OpenAIRequestError,
  parseOpenAIRequest,
  usageOf,
  type OpenAIApi,
  type OpenAIRequest,
  type ResponseMeta,
} from './openai-wire.js';
import type { RequestPlan } from './plan.js';
import type { Face } from './router.js';
import type { Simulation } from './simulation.js';
import type { SimFault } from './truth.js';
import { tokensText } from './vocab.js';

const GENERATION_ROUTES: ReadonlyMap<string, OpenAIApi> = new Map([
  ['/v1/chat/completions', 'chat'],
  ['/v1/completions', 'completions'],
]);

/** Create the OpenAI face: it answers its own routes and leaves every other path to the next face. */
export function createOpenAIFace(sim: Simulation): Face {
  return (req, res, path) => {
    const method = req.method ?? 'GET';
    const api = GENERATION_ROUTES.get(path);
    if (api !== undefined) {
      if (method !== 'POST') return methodNotAllowed(res, method, path, 'POST');
      generate(sim, api, req, res).catch((error: unknown) => internalError(res, error));
    } else if (path === '/v1/models' || path === '/health') {
      if (method !== 'GET') return methodNotAllowed(res, method, path, 'GET');
      if (sendIfCold(sim, res)) return true;
      if (path === '/health') {
        res.writeHead(200, { 'content-length': 0 });
        res.end();
      } else {
        const id = sim.modelName(undefined);
        sendJson(res, 200, {
          object: 'list',
          data: [{ id, object: 'model', created: Math.floor(Date.now() / 1000), owned_by: 'llm-perf-gate' }],
        });
      }
    } else {
      return false;
    }
    return true;
  };
}

/** A bug in the simulator itself: answer 500 if nothing was sent yet, otherwise cut the stream. */
function internalError(res: ServerResponse, error: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const message = `simulator internal error: ${error instanceof Error ? error.message : String(error)}`;
  sendJson(res, 500, errorBody(500, message, 'InternalServerError'));
}

function methodNotAllowed(res: ServerResponse, method: string, path: string, allowed: string): true {
  sendJson(res, 405, errorBody(405, `method ${method} not allowed on ${path}`, 'MethodNotAllowed'), {
    allow: allowed,
  });
  return true;
}

function coldStartBody(sim: Simulation): ReturnType<typeof errorBody> {
  const left = (sim.coldStartLeftMs() / 1000).toFixed(1);
  return errorBody(
    503,
    `The model is not ready: loading (cold start, ${left} s left). Retry later.`,
    'ServiceUnavailableError',
  );
}

/** During the cold start, answer 503 and return true. */
function sendIfCold(sim: Simulation, res: ServerResponse): boolean {
  const left = sim.coldStartLeftMs();
  if (left <= 0) return false;
  sendJson(res, 503, coldStartBody(sim), { 'retry-after': String(Math.ceil(left / 1000)) });
  return true;
}

/** What every step of one generation request needs. */
interface Exchange {
  readonly sim: Simulation;
  readonly res: ServerResponse;
  readonly requestId: string;
  readonly arrivalMs: number;
}

/** Answer before any generation and record the truth. */
function reject(
  x: Exchange,
  status: number,
  fault: SimFault,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
  inputTokens = 0,
): void {
  sendJson(x.res, status, body, { 'x-request-id': x.requestId, ...headers });
  x.sim.truth.add({
    requestId: x.requestId,
    arrivalMs: x.arrivalMs,
    endMs: x.sim.now(),
    outputTokens: 0,
    inputTokens,
    status,
    fault,
  });
}

async function generate(
  sim: Simulation,
  api: OpenAIApi,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const requestId = requestIdOf(req, () => sim.nextRequestId());
  let raw: Buffer;
  try {
    raw = await readBody(req);
  } catch (error) {
    if (error instanceof BodyTooLargeError) {
      const x = { sim, res, requestId, arrivalMs: sim.now() };
      reject(x, 413, 'bad_request', errorBody(413, error.message, 'BadRequestError'), {
        connection: 'close',
      });
    } else {
      res.destroy();
    }
    return;
  }
  const x: Exchange = { sim, res, requestId, arrivalMs: sim.now() };

  const coldLeftMs = sim.coldStartLeftMs();
  if (coldLeftMs > 0) {
    const retryAfter = String(Math.ceil(coldLeftMs / 1000));
    reject(x, 503, 'cold_start', coldStartBody(sim), { 'retry-after': retryAfter });
    return;
  }
  let request: OpenAIRequest;
  try {
    request = parseOpenAIRequest(api, raw, sim.knobs.default_max_tokens);
  } catch (error) {
    if (!(error instanceof OpenAIRequestError)) throw error; // a simulator bug: becomes a 500
    reject(x, 400, 'bad_request', errorBody(400, error.message, 'BadRequestError', error.param));
    return;
  }
  if (!sim.servesModel(request.model)) {
    const message = `The model \`${request.model ?? ''}\` does not exist.`;
    reject(x, 404, 'unknown_model', errorBody(404, message, 'NotFoundError', 'model'));
    return;
  }
  if (!sim.enter()) {
    const limit = sim.knobs.rate_limit_in_flight;
    const message = `Rate limit reached: ${sim.inFlight} requests in flight (limit ${limit}). Retry later.`;
    reject(x, 429, 'rate_limited', errorBody(429, message, 'RateLimitError'), { 'retry-after': '1' });
    return;
  }

  const prompt = request.prompt;
  const inputTokens =
    prompt.kind === 'tokens'
      ? prompt.count
      : prompt.texts.reduce((sum, t) => sum + sim.countPromptTokens(t), 0);
  const plan = sim.plan({ maxTokens: request.maxTokens, minTokens: request.minTokens });
  if (plan.kind === 'error') {
    sim.leave();
    const body = errorBody(500, 'Simulated internal server error (error_rate).', 'InternalServerError');
    reject(x, 500, 'error_500', body, {}, inputTokens);
    return;
  }
  const meta: ResponseMeta = {
    api,
    requestId,
    created: Math.floor(Date.now() / 1000),
    model: sim.modelName(request.model),
  };
  const accepted: Accepted = { x, meta, request, plan, inputTokens };
  if (request.stream) stream(accepted);
  else respondOnce(accepted);
}

/** An accepted request on its way to being generated. */
interface Accepted {
  readonly x: Exchange;
  readonly meta: ResponseMeta;
  readonly request: OpenAIRequest;
  readonly plan: Extract<RequestPlan, { kind: 'generate' }>;
  readonly inputTokens: number;
}

/** Tracks what was written and records the truth exactly once. */
class Progress {
  written = 0;
  firstMs: number | undefined;
  lastMs: number | undefined;
  ended = false;
  readonly #r: Accepted;

  constructor(r: Accepted) {
    this.#r = r;
  }

  wrote(tokensSoFar: number): void {
    const at = this.#r.x.sim.now();
    this.firstMs ??= at;
    this.lastMs = at;
    this.written = tokensSoFar;
  }

  /** Record the end of the response (first call wins); the request leaves the in-flight count. */
  end(fault: SimFault | undefined): void {
    if (this.ended) return;
    this.ended = true;
    const { x, inputTokens } = this.#r;
    x.sim.leave();
    x.sim.truth.add({
      requestId: x.requestId,
      arrivalMs: x.arrivalMs,
      ...(this.firstMs === undefined ? {} : { firstTokenMs: this.firstMs }),
      ...(this.lastMs === undefined ? {} : { lastTokenMs: this.lastMs }),
      endMs: x.sim.now(),
      outputTokens: this.written,
      inputTokens,
      status: 200,
      ...(fault === undefined ? {} : { fault }),
    });
  }
}

/** Reasoning tokens of this response: chat only, the first `reasoning_tokens` generated tokens. */
function reasoningCount(r: Accepted): number {
  return r.meta.api === 'chat' ? Math.min(r.x.sim.knobs.reasoning_tokens, r.plan.outputTokens) : 0;
}

function stream(r: Accepted): void {
  const { x, plan } = r;
  const { sim, res } = x;
  const chunks = new OpenAIChunks(r.meta);
  const reasoning = reasoningCount(r);
  const progress = new Progress(r);
  let malformedSent = false;
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    'x-request-id': x.requestId,
  });
  res.flushHeaders();

  const handle = sim.model.submit(
    { inputTokens: r.inputTokens, outputTokens: plan.outputTokens },
    {
      tokens(first, count) {
        const end = first + count;
        const finish = end === plan.outputTokens ? plan.finishReason : null;
        let out = first === 0 && r.meta.api === 'chat' ? chunks.role() : '';
        if (first < reasoning) {
          const upto = Math.min(end, reasoning);
          out += chunks.content(
            tokensText(plan.textOffset, first, upto - first),
            true,
            upto === end ? finish : null,
          );
        }
        if (end > reasoning) {
          const from = Math.max(first, reasoning);
          out += chunks.content(tokensText(plan.textOffset, from, end - from), false, finish);
        }
        const fault = plan.fault;
        const faultNow = fault !== undefined && end >= fault.afterTokens;
        if (faultNow && fault.kind === 'disconnect') {
          // Cut the connection once this chunk has reached the socket, so the client sees it before the cut.
          handle.cancel();
          res.write(out, () => {
            res.destroy();
            progress.end('disconnect');
          });
          progress.wrote(end);
          return;
        }
        res.write(out);
        progress.wrote(end);
        if (!faultNow) return;
        if (fault.kind === 'stream_error') {
          handle.cancel();
          res.end(chunks.streamError('Simulated error during generation (stream_error_rate).') + DONE_EVENT);
          progress.end('stream_error');
        } else if (fault.kind === 'malformed' && !malformedSent) {
          malformedSent = true;
          res.write(chunks.malformed());
        }
      },
      done() {
        const usage =
          r.request.includeUsage && sim.knobs.usage ? chunks.usage(r.inputTokens, progress.written) : '';
        res.end(usage + DONE_EVENT);
        progress.end(malformedSent ? 'malformed' : plan.finishReason === 'stop' ? 'early_stop' : undefined);
      },
    },
  );
  res.on('close', () => {
    if (progress.ended) return;
    handle.cancel();
    progress.end('client_disconnect');
  });
}

function respondOnce(r: Accepted): void {
  const { x, plan, meta } = r;
  const { sim, res } = x;
  const reasoning = reasoningCount(r);
  const progress = new Progress(r);
  const handle = sim.model.submit(
    { inputTokens: r.inputTokens, outputTokens: plan.outputTokens },
    {
      tokens() {},
      done() {
        const text = {
          reasoning: tokensText(plan.textOffset, 0, reasoning),
          content: tokensText(plan.textOffset, reasoning, plan.outputTokens - reasoning),
        };
        const usage = sim.knobs.usage ? usageOf(r.inputTokens, plan.outputTokens) : undefined;
        sendJson(res, 200, completeBody(meta, text, plan.finishReason, usage), {
          'x-request-id': x.requestId,
        });
        progress.wrote(plan.outputTokens);
        progress.end(plan.finishReason === 'stop' ? 'early_stop' : undefined);
      },
    },
  );
  res.on('close', () => {
    if (progress.ended) return;
    handle.cancel();
    progress.end('client_disconnect');
  });
}
