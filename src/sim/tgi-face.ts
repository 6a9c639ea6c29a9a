/**
 * The Text Generation Inference face of the simulator: POST /generate_stream (SSE, one event per token), POST /generate
 * (one JSON body) and GET /info, shaped like TGI's router. GET /health is answered by the OpenAI face.
 *
 * Faults, as TGI shows them: the in-flight limit (rate_limit_in_flight) answers the stream with an "overloaded" error
 * event on HTTP 200, as TGI's router does when its concurrency limit is reached; validation failures are error events
 * on the stream too. error_rate answers HTTP 500 before streaming (what a proxy in front of TGI shows), and the cold
 * start HTTP 503 "model is not ready" (TGI itself does not listen before its model is loaded). The usage knob off drops
 * `details` from the final event, as when a client does not ask for them. A response that stops early ends with the
 * special EOS token `</s>`, which TGI counts in `generated_tokens` but does not put in `generated_text`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ConfigInput } from '../config/schema.js';
import { generateOnce, recordRejection, streamGeneration } from './generation.js';
import { BodyTooLargeError, readBody, requestIdOf, sendJson } from './http-io.js';
import type { Face } from './router.js';
import type { SimAddresses } from './server.js';
import type { Simulation } from './simulation.js';
import {
  OVERLOADED_MESSAGE,
  parseTgiRequest,
  tgiErrorBody,
  tgiErrorEvent,
  tgiGenerateBody,
  TgiRequestError,
  tgiStreamWire,
  type TgiRequest,
  type TgiResponse,
} from './tgi-wire.js';

/** The TGI target of the demo: the simulator's HTTP/1.1 origin. */
export function tgiDemoTarget(addresses: SimAddresses): Extract<ConfigInput['target'], { provider: 'tgi' }> {
  return { provider: 'tgi', base_url: addresses.origin };
}

/** Create the TGI face: it answers its own routes and leaves every other path to the next face. */
export function createTgiFace(sim: Simulation): Face {
  return (req, res, path) => {
    const method = req.method ?? 'GET';
    if (path === '/generate_stream' || path === '/generate') {
      if (method !== 'POST') return methodNotAllowed(res, method, path, 'POST');
      generate(sim, path === '/generate_stream', req, res).catch((error: unknown) =>
        internalError(res, error),
      );
      return true;
    }
    if (path === '/info') {
      if (method !== 'GET') return methodNotAllowed(res, method, path, 'GET');
      if (sendIfCold(sim, res)) return true;
      sendJson(res, 200, info(sim));
      return true;
    }
    return false;
  };
}

/** GET /info, trimmed to the fields clients read. */
function info(sim: Simulation): Record<string, unknown> {
  return {
    model_id: sim.modelName(undefined),
    model_sha: null,
    model_pipeline_tag: 'text-generation',
    max_concurrent_requests: sim.knobs.rate_limit_in_flight > 0 ? sim.knobs.rate_limit_in_flight : 128,
    max_best_of: 1,
    max_stop_sequences: 4,
    max_input_tokens: 8191,
    max_total_tokens: 8192,
    validation_workers: 2,
    max_client_batch_size: 4,
    router: 'text-generation-router',
    version: 'llm-perf-gate-sim',
    sha: null,
    docker_label: null,
  };
}

function internalError(res: ServerResponse, error: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const message = `simulator internal error: ${error instanceof Error ? error.message : String(error)}`;
  sendJson(res, 500, tgiErrorBody(message, 'internal'));
}

function methodNotAllowed(res: ServerResponse, method: string, path: string, allowed: string): true {
  sendJson(res, 405, tgiErrorBody(`method ${method} not allowed on ${path}`, 'validation'), {
    allow: allowed,
  });
  return true;
}

function coldStartMessage(sim: Simulation): string {
  const left = (sim.coldStartLeftMs() / 1000).toFixed(1);
  return `Model is not ready: loading (cold start, ${left} s left). Retry later.`;
}

/** During the cold start, answer 503 and return true. */
function sendIfCold(sim: Simulation, res: ServerResponse): boolean {
  const left = sim.coldStartLeftMs();
  if (left <= 0) return false;
  sendJson(res, 503, tgiErrorBody(coldStartMessage(sim), 'unhealthy'), {
    'retry-after': String(Math.ceil(left / 1000)),
  });
  return true;
}

/** Start a 200 event stream. */
function startStream(res: ServerResponse, requestId: string): void {
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    'x-request-id': requestId,
  });
  res.flushHeaders();
}

async function generate(
  sim: Simulation,
  streaming: boolean,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const requestId = requestIdOf(req, () => sim.nextRequestId());
  let raw: Buffer;
  try {
    raw = await readBody(req);
  } catch (error) {
    if (error instanceof BodyTooLargeError) {
      sendJson(res, 413, tgiErrorBody(error.message, 'validation'), { connection: 'close' });
      recordRejection(sim, { requestId, arrivalMs: sim.now() }, 413, 'bad_request');
    } else {
      res.destroy();
    }
    return;
  }
  const x = { requestId, arrivalMs: sim.now() };
  const headers = { 'x-request-id': requestId };

  const coldLeftMs = sim.coldStartLeftMs();
  if (coldLeftMs > 0) {
    sendJson(res, 503, tgiErrorBody(coldStartMessage(sim), 'unhealthy'), {
      ...headers,
      'retry-after': String(Math.ceil(coldLeftMs / 1000)),
    });
    recordRejection(sim, x, 503, 'cold_start');
    return;
  }
  let request: TgiRequest;
  try {
    request = parseTgiRequest(raw, sim.knobs.default_max_tokens);
  } catch (error) {
    if (!(error instanceof TgiRequestError)) throw error; // a simulator bug: becomes a 500
    if (error.kind === 'validation' && streaming) {
      startStream(res, requestId);
      res.end(tgiErrorEvent(error.message, 'validation'));
      recordRejection(sim, x, 200, 'bad_request');
    } else if (error.kind === 'validation') {
      sendJson(res, 422, tgiErrorBody(error.message, 'validation'), headers);
      recordRejection(sim, x, 422, 'bad_request');
    } else {
      const status = error.kind === 'syntax' ? 400 : 422;
      const text = error.message;
      res.writeHead(status, {
        'content-type': 'text/plain; charset=utf-8',
        'content-length': Buffer.byteLength(text),
        ...headers,
      });
      res.end(text);
      recordRejection(sim, x, status, 'bad_request');
    }
    return;
  }
  const inputTokens = sim.countPromptTokens(request.inputs);
  if (!sim.enter()) {
    if (streaming) {
      startStream(res, requestId);
      res.end(tgiErrorEvent(OVERLOADED_MESSAGE, 'overloaded'));
      recordRejection(sim, x, 200, 'rate_limited', inputTokens);
    } else {
      sendJson(res, 429, tgiErrorBody(OVERLOADED_MESSAGE, 'overloaded'), headers);
      recordRejection(sim, x, 429, 'rate_limited', inputTokens);
    }
    return;
  }
  const plan = sim.plan({ maxTokens: request.maxNewTokens, minTokens: 0 });
  if (plan.kind === 'error') {
    sim.leave();
    const message = 'Simulated internal server error (error_rate).';
    sendJson(res, 500, tgiErrorBody(message, 'incomplete_generation'), headers);
    recordRejection(sim, x, 500, 'error_500', inputTokens);
    return;
  }
  const job = { sim, ...x, inputTokens, plan };
  const response: TgiResponse = {
    textOffset: plan.textOffset,
    outputTokens: plan.outputTokens,
    finishReason: plan.finishReason,
    inputTokens,
    details: request.details && sim.knobs.usage,
  };
  if (streaming) {
    startStream(res, requestId);
    streamGeneration(job, res, tgiStreamWire(response));
  } else {
    generateOnce(job, res, () => sendJson(res, 200, tgiGenerateBody(response), headers));
  }
}
