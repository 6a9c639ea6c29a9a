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
import {
  generateOnce,
  recordRejection,
  streamGeneration,
  type GeneratePlan,
  type GenerationJob,
  type StreamWire,
} from './generation.js';
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
  recordRejection(x.sim, x, status, fault, inputTokens);
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
  readonly plan: GeneratePlan;
  readonly inputTokens: number;
}

function jobOf(r: Accepted): GenerationJob {
  const { sim, requestId, arrivalMs } = r.x;
  return { sim, requestId, arrivalMs, inputTokens: r.inputTokens, plan: r.plan };
}

/** Reasoning tokens of this response: chat only, the first `reasoning_tokens` generated tokens. */
function reasoningCount(r: Accepted): number {
  return r.meta.api === 'chat' ? Math.min(r.x.sim.knobs.reasoning_tokens, r.plan.outputTokens) : 0;
}

/** What shapes the stream of one OpenAI response besides its plan. */
export interface OpenAIStreamOptions {
  /** The first this many generated tokens are streamed as reasoning_content (chat only). */
  readonly reasoningTokens: number;
  /** Prompt tokens for the final usage chunk; undefined sends none. */
  readonly usagePromptTokens: number | undefined;
}

/** The SSE stream of one OpenAI response (vLLM's chunks), for {@link streamGeneration}. */
export function openAIStreamWire(
  meta: ResponseMeta,
  plan: GeneratePlan,
  options: OpenAIStreamOptions,
): StreamWire {
  const chunks = new OpenAIChunks(meta);
  const reasoning = options.reasoningTokens;
  const promptTokens = options.usagePromptTokens;
  return {
    tokens(first, count) {
      const end = first + count;
      const finish = end === plan.outputTokens ? plan.finishReason : null;
      let out = first === 0 && meta.api === 'chat' ? chunks.role() : '';
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
      return out;
    },
    malformed: () => chunks.malformed(),
    streamError: (message) => chunks.streamError(message) + DONE_EVENT,
    end: (written) => (promptTokens === undefined ? '' : chunks.usage(promptTokens, written)) + DONE_EVENT,
  };
}

function stream(r: Accepted): void {
  const { x } = r;
  const { sim, res } = x;
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    'x-request-id': x.requestId,
  });
  res.flushHeaders();
  const wire = openAIStreamWire(r.meta, r.plan, {
    reasoningTokens: reasoningCount(r),
    usagePromptTokens: r.request.includeUsage && sim.knobs.usage ? r.inputTokens : undefined,
  });
  streamGeneration(jobOf(r), res, wire);
}

function respondOnce(r: Accepted): void {
  const { x, plan, meta } = r;
  const { sim, res } = x;
  const reasoning = reasoningCount(r);
  generateOnce(jobOf(r), res, () => {
    const text = {
      reasoning: tokensText(plan.textOffset, 0, reasoning),
      content: tokensText(plan.textOffset, reasoning, plan.outputTokens - reasoning),
    };
    const usage = sim.knobs.usage ? usageOf(r.inputTokens, plan.outputTokens) : undefined;
    sendJson(res, 200, completeBody(meta, text, plan.finishReason, usage), {
      'x-request-id': x.requestId,
    });
  });
}
