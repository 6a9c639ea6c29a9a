import { createRequire as __lpgCreateRequire } from 'node:module'; const require = __lpgCreateRequire(import.meta.url);
import {
  countTokens,
  external_exports
} from "./chunk-HJWDNSSL.js";
import {
  event_streams_exports,
  init_event_streams
} from "./chunk-LM4TNCEZ.js";
import {
  __commonJS,
  __toCommonJS,
  __toESM
} from "./chunk-42CON5CV.js";

// node_modules/@smithy/eventstream-codec/dist-cjs/index.js
var require_dist_cjs = __commonJS({
  "node_modules/@smithy/eventstream-codec/dist-cjs/index.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.SmithyMessageEncoderStream = exports.SmithyMessageDecoderStream = exports.MessageEncoderStream = exports.MessageDecoderStream = exports.Int64 = exports.HeaderMarshaller = exports.EventStreamCodec = void 0;
    var event_streams_1 = (init_event_streams(), __toCommonJS(event_streams_exports));
    Object.defineProperty(exports, "EventStreamCodec", { enumerable: true, get: function() {
      return event_streams_1.EventStreamCodec;
    } });
    Object.defineProperty(exports, "HeaderMarshaller", { enumerable: true, get: function() {
      return event_streams_1.HeaderMarshaller;
    } });
    Object.defineProperty(exports, "Int64", { enumerable: true, get: function() {
      return event_streams_1.Int64;
    } });
    Object.defineProperty(exports, "MessageDecoderStream", { enumerable: true, get: function() {
      return event_streams_1.MessageDecoderStream;
    } });
    Object.defineProperty(exports, "MessageEncoderStream", { enumerable: true, get: function() {
      return event_streams_1.MessageEncoderStream;
    } });
    Object.defineProperty(exports, "SmithyMessageDecoderStream", { enumerable: true, get: function() {
      return event_streams_1.SmithyMessageDecoderStream;
    } });
    Object.defineProperty(exports, "SmithyMessageEncoderStream", { enumerable: true, get: function() {
      return event_streams_1.SmithyMessageEncoderStream;
    } });
  }
});

// src/sim/server.ts
import { createServer as createServer2 } from "node:http";

// src/sim/bedrock-h2.ts
import { createServer } from "node:http2";

// src/sim/bedrock-face.ts
import { ServerResponse } from "node:http";
import { constants as h2 } from "node:http2";

// src/sim/event-stream.ts
var import_eventstream_codec = __toESM(require_dist_cjs(), 1);
var encoder = new TextEncoder();
var decoder = new TextDecoder();
var codec = new import_eventstream_codec.EventStreamCodec(
  (bytes) => decoder.decode(bytes),
  (text) => encoder.encode(text)
);
var EVENT_STREAM_CONTENT_TYPE = "application/vnd.amazon.eventstream";
function eventFrame(eventType, payload) {
  return codec.encode({
    headers: {
      ":message-type": { type: "string", value: "event" },
      ":event-type": { type: "string", value: eventType },
      ":content-type": { type: "string", value: "application/json" }
    },
    body: encoder.encode(JSON.stringify(payload))
  });
}
function exceptionFrame(exceptionType, message) {
  return codec.encode({
    headers: {
      ":message-type": { type: "string", value: "exception" },
      ":exception-type": { type: "string", value: exceptionType },
      ":content-type": { type: "string", value: "application/json" }
    },
    body: encoder.encode(JSON.stringify({ message }))
  });
}

// src/sim/generation.ts
var STREAM_ERROR_MESSAGE = "Simulated error during generation (stream_error_rate).";
var STREAM_THROTTLE_MESSAGE = "Simulated throttling during generation (stream_throttle_rate).";
function recordRejection(sim, request, status, fault, inputTokens = 0) {
  sim.truth.add({
    requestId: request.requestId,
    arrivalMs: request.arrivalMs,
    endMs: sim.now(),
    outputTokens: 0,
    inputTokens,
    status,
    fault
  });
}
var Progress = class {
  /** Generated tokens handed to the response so far. */
  written = 0;
  /** When the first chunk carrying generated tokens was flushed. */
  firstMs;
  /** When the last chunk carrying generated tokens was flushed. */
  lastMs;
  ended = false;
  #job;
  /** Token writes whose callback has not come yet. */
  #unflushed = 0;
  #fault;
  #recorded = false;
  constructor(job) {
    this.#job = job;
  }
  /**
   * Generated tokens up to `tokensSoFar` are being written. Pass the returned function as the write's callback: it
   * stamps the tokens when they are flushed (not when the write failed).
   */
  wrote(tokensSoFar) {
    this.written = tokensSoFar;
    this.#unflushed++;
    return (error) => {
      this.#unflushed--;
      if (error === void 0 || error === null) {
        const at = this.#job.sim.now();
        this.firstMs ??= at;
        this.lastMs = at;
      }
      if (this.ended && this.#unflushed === 0) this.#record();
    };
  }
  /**
   * The response ended (first call wins): the request leaves the in-flight count now, and its truth is recorded once
   * its token writes are flushed.
   */
  end(fault) {
    if (this.ended) return;
    this.ended = true;
    this.#fault = fault;
    this.#job.sim.leave();
    if (this.#unflushed === 0) this.#record();
  }
  /** The response closed: writes still unflushed never will be, so the truth of an ended response is recorded now. */
  closed() {
    if (this.ended) this.#record();
  }
  #record() {
    if (this.#recorded) return;
    this.#recorded = true;
    const { sim, requestId, arrivalMs, inputTokens } = this.#job;
    const fault = this.#fault;
    sim.truth.add({
      requestId,
      arrivalMs,
      ...this.firstMs === void 0 ? {} : { firstTokenMs: this.firstMs },
      ...this.lastMs === void 0 ? {} : { lastTokenMs: this.lastMs },
      endMs: sim.now(),
      outputTokens: this.written,
      inputTokens,
      status: 200,
      ...fault === void 0 ? {} : { fault }
    });
  }
};
function streamGeneration(job, res, wire) {
  const { sim, plan } = job;
  const progress = new Progress(job);
  let malformedSent = false;
  const handle2 = sim.model.submit(
    { inputTokens: job.inputTokens, outputTokens: plan.outputTokens },
    {
      tokens(first, count) {
        const end = first + count;
        const out = wire.tokens(first, count);
        const fault = plan.fault;
        const faultNow = fault !== void 0 && end >= fault.afterTokens;
        const flushed = progress.wrote(end);
        if (faultNow && fault.kind === "disconnect") {
          handle2.cancel();
          res.write(out, (error) => {
            flushed(error);
            res.destroy();
            progress.end("disconnect");
          });
          return;
        }
        res.write(out, flushed);
        if (!faultNow) return;
        if (fault.kind === "stream_error") {
          handle2.cancel();
          res.end(wire.streamError(STREAM_ERROR_MESSAGE));
          progress.end("stream_error");
        } else if (fault.kind === "stream_throttle") {
          handle2.cancel();
          const throttle = wire.streamThrottle ?? wire.streamError;
          res.end(throttle.call(wire, STREAM_THROTTLE_MESSAGE));
          progress.end("stream_throttle");
        } else if (fault.kind === "malformed" && !malformedSent) {
          malformedSent = true;
          res.write(wire.malformed());
        }
      },
      done() {
        res.end(wire.end(progress.written));
        progress.end(malformedSent ? "malformed" : plan.finishReason === "stop" ? "early_stop" : void 0);
      }
    }
  );
  res.on("close", () => {
    if (!progress.ended) {
      handle2.cancel();
      progress.end("client_disconnect");
    }
    progress.closed();
  });
}
function generateOnce(job, res, respond) {
  const { sim, plan } = job;
  const progress = new Progress(job);
  const handle2 = sim.model.submit(
    { inputTokens: job.inputTokens, outputTokens: plan.outputTokens },
    {
      tokens() {
      },
      done() {
        respond();
        progress.wrote(plan.outputTokens)();
        progress.end(plan.finishReason === "stop" ? "early_stop" : void 0);
      }
    }
  );
  res.on("close", () => {
    if (progress.ended) return;
    handle2.cancel();
    progress.end("client_disconnect");
  });
}

// src/sim/http-io.ts
var MAX_BODY_BYTES = 32 * 1024 * 1024;
var BodyTooLargeError = class extends Error {
  name = "BodyTooLargeError";
};
function readBody(req, limit = MAX_BODY_BYTES) {
  return new Promise((resolve, reject3) => {
    const chunks = [];
    let size = 0;
    req.on("data", (chunk) => {
      size += chunk.length;
      if (size > limit) {
        reject3(new BodyTooLargeError(`request body is larger than ${limit} bytes`));
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject3);
    req.on("close", () => {
      if (!req.complete) reject3(new Error("the client closed the connection before sending the whole body"));
    });
  });
}
function requestIdOf(req, fallback) {
  const header = req.headers["x-request-id"];
  const value = (Array.isArray(header) ? header[0] : header)?.trim();
  return value !== void 0 && value !== "" ? value.slice(0, 256) : fallback();
}
function sendJson(res, status, body, headers = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    ...headers
  });
  res.end(text);
}

// src/sim/vocab.ts
var WORDS = [
  "the",
  "of",
  "and",
  "to",
  "in",
  "is",
  "that",
  "for",
  "it",
  "as",
  "with",
  "on",
  "was",
  "be",
  "at",
  "by",
  "this",
  "from",
  "or",
  "are",
  "an",
  "but",
  "not",
  "have",
  "they",
  "which",
  "one",
  "you",
  "all",
  "were",
  "her",
  "she",
  "there",
  "would",
  "their",
  "we",
  "him",
  "been",
  "has",
  "when",
  "who",
  "will",
  "more",
  "no",
  "if",
  "out",
  "so",
  "said",
  "what",
  "up",
  "its",
  "about",
  "into",
  "than",
  "them",
  "can",
  "only",
  "other",
  "new",
  "some",
  "could",
  "time",
  "these",
  "two"
];
var VOCABULARY = WORDS.map((word) => ` ${word}`);
var STRIDE = 7;
function tokenText(offset, index) {
  return VOCABULARY[(offset + index * STRIDE) % VOCABULARY.length];
}
function tokensText(offset, first, count) {
  let text = "";
  for (let i = first; i < first + count; i++) text += tokenText(offset, i);
  return text;
}

// src/sim/bedrock-wire.ts
var BedrockRequestError = class extends Error {
  name = "BedrockRequestError";
};
var ROUTE = /^\/model\/([^/]+)\/(converse-stream|invoke-with-response-stream)$/;
function bedrockRoute(path) {
  const match = ROUTE.exec(path);
  if (match === null) return void 0;
  let modelId;
  try {
    modelId = decodeURIComponent(match[1] ?? "");
  } catch {
    return void 0;
  }
  return { api: match[2] === "converse-stream" ? "converse" : "invoke", modelId };
}
function bedrockError(status, exception, message, requestId) {
  return {
    status,
    headers: {
      "x-amzn-errortype": `${exception}:http://internal.amazon.com/coral/com.amazon.bedrock/`,
      "x-amzn-requestid": requestId
    },
    body: { message }
  };
}
function isObject(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
function parseJson(raw) {
  let body;
  try {
    body = JSON.parse(raw.toString("utf8"));
  } catch (error) {
    throw new BedrockRequestError(`Malformed input request: ${error.message}`);
  }
  if (!isObject(body)) throw new BedrockRequestError("Malformed input request: expected a JSON object");
  return body;
}
function positiveInteger(value, field) {
  if (value === void 0 || value === null) return void 0;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
    throw new BedrockRequestError(
      `1 validation error detected: Value ${JSON.stringify(value)} at '${field}' failed to satisfy constraint: Member must be an integer greater than or equal to 1`
    );
  }
  return value;
}
function forcedMinimum(fields, maxTokens) {
  if (fields === void 0) return 0;
  if (fields["ignore_eos"] === true) return maxTokens;
  const min = fields["min_tokens"];
  return typeof min === "number" && Number.isInteger(min) && min > 0 ? Math.min(min, maxTokens) : 0;
}
function converseTexts(body) {
  const messages = body["messages"];
  if (!Array.isArray(messages) || messages.length === 0) {
    throw new BedrockRequestError(
      "1 validation error detected: Value at 'messages' failed to satisfy constraint: Member must not be empty"
    );
  }
  const texts = [];
  const system = body["system"];
  if (Array.isArray(system)) {
    for (const block of system)
      if (isObject(block) && typeof block["text"] === "string") texts.push(block["text"]);
  }
  messages.forEach((message, i) => {
    if (!isObject(message) || typeof message["role"] !== "string" || !Array.isArray(message["content"])) {
      throw new BedrockRequestError(
        `1 validation error detected: Value at 'messages.${i + 1}' failed to satisfy constraint: Member must have a role and a content list`
      );
    }
    for (const block of message["content"]) {
      if (isObject(block) && typeof block["text"] === "string") texts.push(block["text"]);
    }
  });
  return texts;
}
function chatTexts(messages) {
  const texts = [];
  for (const message of messages) {
    if (!isObject(message)) continue;
    const content = message["content"];
    if (typeof content === "string") texts.push(content);
    else if (Array.isArray(content)) {
      for (const part of content)
        if (isObject(part) && typeof part["text"] === "string") texts.push(part["text"]);
    }
  }
  return texts;
}
function parseConverseRequest(raw, defaultMaxTokens) {
  const body = parseJson(raw);
  const texts = converseTexts(body);
  const config = body["inferenceConfig"];
  const maxTokens = (isObject(config) ? positiveInteger(config["maxTokens"], "inferenceConfig.maxTokens") : void 0) ?? defaultMaxTokens;
  const fields = body["additionalModelRequestFields"];
  return {
    texts,
    maxTokens,
    minTokens: forcedMinimum(isObject(fields) ? fields : void 0, maxTokens),
    style: "llama"
  };
}
function parseInvokeRequest(raw, defaultMaxTokens) {
  const body = parseJson(raw);
  const parameters = isObject(body["parameters"]) ? body["parameters"] : void 0;
  let texts;
  let style = "llama";
  if (typeof body["prompt"] === "string") texts = [body["prompt"]];
  else if (Array.isArray(body["messages"])) {
    texts = chatTexts(body["messages"]);
    style = "openai";
  } else if (typeof body["inputs"] === "string") texts = [body["inputs"]];
  else {
    throw new BedrockRequestError(
      "Malformed input request: #: required key [prompt] not found, please reformat your input and try again."
    );
  }
  const maxTokens = positiveInteger(body["max_gen_len"], "max_gen_len") ?? positiveInteger(body["max_tokens"], "max_tokens") ?? positiveInteger(body["max_new_tokens"], "max_new_tokens") ?? positiveInteger(parameters?.["max_new_tokens"], "parameters.max_new_tokens") ?? defaultMaxTokens;
  const minTokens = Math.max(forcedMinimum(body, maxTokens), forcedMinimum(parameters, maxTokens));
  return { texts, maxTokens, minTokens, style };
}
var PADDING = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
function padding(n) {
  return PADDING.slice(0, 1 + n % PADDING.length);
}
function corruptFrame(frame) {
  const copy = frame.slice();
  const last = copy.length - 1;
  copy[last] = (copy[last] ?? 0) ^ 255;
  return copy;
}
function concat(frames) {
  return frames.length === 1 ? frames[0] : Buffer.concat(frames);
}
var ConverseFrames = class {
  #c;
  #events = 0;
  constructor(context) {
    this.#c = context;
  }
  #event(type, payload) {
    this.#events += 1;
    return eventFrame(type, { ...payload, p: padding(this.#events) });
  }
  /** The block index of token `index`: reasoning in block 0, the answer in the next block. */
  #block(index) {
    return this.#c.reasoningTokens > 0 && index >= this.#c.reasoningTokens ? 1 : 0;
  }
  tokens(first, count) {
    const { plan, reasoningTokens } = this.#c;
    const end = first + count;
    const frames = [];
    if (first === 0) frames.push(this.#event("messageStart", { role: "assistant" }));
    if (first < reasoningTokens) {
      const upto = Math.min(end, reasoningTokens);
      const text = tokensText(plan.textOffset, first, upto - first);
      frames.push(
        this.#event("contentBlockDelta", { contentBlockIndex: 0, delta: { reasoningContent: { text } } })
      );
    }
    if (end > reasoningTokens) {
      const from = Math.max(first, reasoningTokens);
      if (reasoningTokens > 0 && from === reasoningTokens) {
        frames.push(this.#event("contentBlockStop", { contentBlockIndex: 0 }));
      }
      const text = tokensText(plan.textOffset, from, end - from);
      frames.push(
        this.#event("contentBlockDelta", { contentBlockIndex: this.#block(from), delta: { text } })
      );
    }
    return concat(frames);
  }
  malformed() {
    return corruptFrame(
      this.#event("contentBlockDelta", { contentBlockIndex: 0, delta: { text: " corrupt" } })
    );
  }
  streamError(message) {
    return exceptionFrame("modelStreamErrorException", message);
  }
  streamThrottle(message) {
    return exceptionFrame("throttlingException", message);
  }
  end(written) {
    const { plan, inputTokens } = this.#c;
    return concat([
      this.#event("contentBlockStop", { contentBlockIndex: this.#block(Math.max(0, written - 1)) }),
      this.#event("messageStop", { stopReason: plan.finishReason === "stop" ? "end_turn" : "max_tokens" }),
      this.#event("metadata", {
        usage: { inputTokens, outputTokens: written, totalTokens: inputTokens + written },
        metrics: { latencyMs: Math.round(this.#c.now() - this.#c.arrivalMs) }
      })
    ]);
  }
};
var InvokeChunks = class {
  #c;
  #style;
  #events = 0;
  #firstByteMs;
  constructor(context, style) {
    this.#c = context;
    this.#style = style;
  }
  #chunk(payload) {
    this.#events += 1;
    const bytes = Buffer.from(JSON.stringify(payload)).toString("base64");
    return eventFrame("chunk", { bytes, p: padding(this.#events) });
  }
  #openai(choice, extra = {}) {
    const { requestId, model } = this.#c;
    return {
      id: `chatcmpl-${requestId}`,
      object: "chat.completion.chunk",
      created: Math.floor(Date.now() / 1e3),
      model,
      choices: [{ index: 0, logprobs: null, ...choice }],
      ...extra
    };
  }
  tokens(first, count) {
    this.#firstByteMs ??= this.#c.now();
    const { plan, inputTokens } = this.#c;
    const end = first + count;
    if (this.#style === "llama") {
      return this.#chunk({
        generation: tokensText(plan.textOffset, first, count),
        prompt_token_count: first === 0 ? inputTokens : null,
        generation_token_count: end,
        stop_reason: null
      });
    }
    const reasoning = this.#c.reasoningTokens;
    const frames = [];
    if (first < reasoning) {
      const upto = Math.min(end, reasoning);
      const text = tokensText(plan.textOffset, first, upto - first);
      frames.push(this.#chunk(this.#openai({ delta: { reasoning_content: text }, finish_reason: null })));
    }
    if (end > reasoning) {
      const from = Math.max(first, reasoning);
      const text = tokensText(plan.textOffset, from, end - from);
      const delta = from === 0 ? { role: "assistant", content: text } : { content: text };
      frames.push(this.#chunk(this.#openai({ delta, finish_reason: null })));
    }
    return concat(frames);
  }
  malformed() {
    return corruptFrame(
      this.#chunk({ generation: " corrupt", generation_token_count: 0, stop_reason: null })
    );
  }
  streamError(message) {
    return exceptionFrame("modelStreamErrorException", message);
  }
  streamThrottle(message) {
    return exceptionFrame("throttlingException", message);
  }
  end(written) {
    const { plan, inputTokens, now, arrivalMs } = this.#c;
    const at = now();
    const metrics = {
      inputTokenCount: inputTokens,
      outputTokenCount: written,
      invocationLatency: Math.round(at - arrivalMs),
      firstByteLatency: Math.round((this.#firstByteMs ?? at) - arrivalMs)
    };
    const finish = plan.finishReason;
    if (this.#style === "llama") {
      return this.#chunk({
        generation: "",
        prompt_token_count: null,
        generation_token_count: written,
        stop_reason: finish,
        "amazon-bedrock-invocationMetrics": metrics
      });
    }
    return this.#chunk(
      this.#openai(
        { delta: {}, finish_reason: finish },
        {
          usage: {
            prompt_tokens: inputTokens,
            completion_tokens: written,
            total_tokens: inputTokens + written
          },
          "amazon-bedrock-invocationMetrics": metrics
        }
      )
    );
  }
};

// src/sim/bedrock-face.ts
var SPLIT_DELAY_MS = 1;
function createBedrockFace(sim) {
  return (req, res, path) => handle(sim, req, res, path);
}
function createBedrockH2Listener(sim) {
  return (req, res) => {
    const path = req.url.split("?", 1)[0] ?? "/";
    if (handle(sim, req, res, path)) return;
    const requestId = requestIdOf(req, () => sim.nextRequestId());
    send(
      res,
      bedrockError(404, "UnknownOperationException", `unknown route: ${req.method} ${path}`, requestId)
    );
  };
}
function handle(sim, req, res, path) {
  const route = bedrockRoute(path);
  if (route === void 0) return false;
  if (req.method !== "POST") {
    const requestId = requestIdOf(req, () => sim.nextRequestId());
    const message = `method ${req.method ?? ""} not allowed on ${path}`;
    send(res, bedrockError(405, "UnknownOperationException", message, requestId), { allow: "POST" });
    return true;
  }
  generate(sim, route, req, res).catch((error) => internalError(sim, res, error));
  return true;
}
function send(res, error, headers = {}) {
  sendJson(res, error.status, error.body, { ...error.headers, ...headers });
}
function internalError(sim, res, error) {
  if (res.headersSent) {
    cut(res);
    return;
  }
  const message = `simulator internal error: ${error instanceof Error ? error.message : String(error)}`;
  send(res, bedrockError(500, "InternalServerException", message, sim.nextRequestId()));
}
function cut(res) {
  if (res instanceof ServerResponse) res.destroy();
  else res.stream.close(h2.NGHTTP2_INTERNAL_ERROR);
}
function reject(sim, res, x, error, fault, inputTokens = 0) {
  send(res, error);
  recordRejection(sim, x, error.status, fault, inputTokens);
}
async function generate(sim, route, req, res) {
  const requestId = requestIdOf(req, () => sim.nextRequestId());
  let raw;
  try {
    raw = await readBody(req);
  } catch (error) {
    if (!(error instanceof BodyTooLargeError)) {
      cut(res);
      return;
    }
    const x2 = { requestId, arrivalMs: sim.now() };
    reject(sim, res, x2, bedrockError(413, "ValidationException", error.message, requestId), "bad_request");
    return;
  }
  const x = { requestId, arrivalMs: sim.now() };
  const coldLeftMs = sim.coldStartLeftMs();
  if (coldLeftMs > 0) {
    const message = `Model is not ready for inference. Wait and try your request again. (simulated cold start, ${(coldLeftMs / 1e3).toFixed(1)} s left)`;
    reject(sim, res, x, bedrockError(429, "ModelNotReadyException", message, requestId), "cold_start");
    return;
  }
  let request;
  try {
    const defaultMax = sim.knobs.default_max_tokens;
    request = route.api === "converse" ? parseConverseRequest(raw, defaultMax) : parseInvokeRequest(raw, defaultMax);
  } catch (error) {
    if (!(error instanceof BedrockRequestError)) throw error;
    reject(sim, res, x, bedrockError(400, "ValidationException", error.message, requestId), "bad_request");
    return;
  }
  if (!sim.servesModel(route.modelId)) {
    const error = bedrockError(
      400,
      "ValidationException",
      "The provided model identifier is invalid.",
      requestId
    );
    reject(sim, res, x, error, "unknown_model");
    return;
  }
  if (!sim.enter()) {
    const error = bedrockError(
      429,
      "ThrottlingException",
      "Too many requests, please wait before trying again.",
      requestId
    );
    reject(sim, res, x, error, "rate_limited");
    return;
  }
  const inputTokens = request.texts.reduce((sum, text) => sum + sim.countPromptTokens(text), 0);
  const plan = sim.plan({ maxTokens: request.maxTokens, minTokens: request.minTokens });
  if (plan.kind === "error") {
    sim.leave();
    const message = "Simulated internal server error (error_rate).";
    reject(
      sim,
      res,
      x,
      bedrockError(500, "InternalServerException", message, requestId),
      "error_500",
      inputTokens
    );
    return;
  }
  const reasoning = route.api === "invoke" && request.style === "llama" ? 0 : sim.knobs.reasoning_tokens;
  const context = {
    plan,
    inputTokens,
    reasoningTokens: Math.min(reasoning, plan.outputTokens),
    now: () => sim.now(),
    arrivalMs: x.arrivalMs,
    requestId,
    model: sim.modelName(route.modelId)
  };
  const wire = route.api === "converse" ? new ConverseFrames(context) : new InvokeChunks(context, request.style);
  res.writeHead(200, {
    "content-type": EVENT_STREAM_CONTENT_TYPE,
    "x-amzn-requestid": requestId,
    ...route.api === "invoke" ? { "x-amzn-bedrock-content-type": "application/json" } : {}
  });
  if (res instanceof ServerResponse) res.flushHeaders();
  const job = { sim, requestId, arrivalMs: x.arrivalMs, inputTokens, plan };
  streamGeneration(job, responseOut(res, sim.knobs.split_frames), wire);
}
function responseOut(res, split) {
  let closed = false;
  res.on("close", () => {
    closed = true;
  });
  const direct = {
    write(chunk, callback) {
      if (closed) return false;
      return res instanceof ServerResponse ? res.write(chunk, callback) : res.write(chunk, callback);
    },
    end(chunk) {
      if (closed) return;
      if (chunk === void 0) res.end();
      else if (res instanceof ServerResponse) res.end(chunk);
      else res.end(chunk);
    },
    destroy: () => cut(res),
    on: (event3, listener) => res.on(event3, listener)
  };
  return split ? splitWrites(direct, () => closed) : direct;
}
function splitWrites(out, isClosed) {
  let tail = Promise.resolve();
  const queue = (step) => {
    tail = tail.then(step);
  };
  const writeInParts = async (chunk, callback) => {
    const bytes = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
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
        if (chunk !== void 0) await writeInParts(chunk);
        out.end();
      });
    },
    destroy() {
      queue(() => {
        out.destroy();
      });
    },
    on: (event3, listener) => out.on(event3, listener)
  };
}

// src/sim/bedrock-h2.ts
async function startBedrockH2Server(sim, host, port) {
  const server = createServer({}, createBedrockH2Listener(sim));
  const sessions = /* @__PURE__ */ new Set();
  server.on("session", (session) => {
    sessions.add(session);
    session.on("close", () => sessions.delete(session));
  });
  server.on("connection", (socket) => socket.setNoDelay(true));
  await new Promise((resolve, reject3) => {
    server.once("error", reject3);
    server.listen({ port, host }, () => {
      server.off("error", reject3);
      resolve();
    });
  });
  let closing;
  return {
    port: server.address().port,
    close: () => {
      closing ??= new Promise((resolve, reject3) => {
        server.close((error) => error === void 0 ? resolve() : reject3(error));
        for (const session of sessions) session.destroy();
      });
      return closing;
    }
  };
}

// src/sim/knobs.ts
function knob(type, schema, defaultValue, description) {
  return { type, schema, default: defaultValue, description };
}
var rate = external_exports.number().min(0).max(1);
var multiplier = external_exports.number().positive();
var TABLE = {
  step_ms: knob("number", multiplier, 8, "Fixed cost of one engine step (one forward pass), in ms."),
  per_seq_ms: knob("number", external_exports.number().min(0), 0.08, "Extra step cost per running sequence, in ms."),
  prefill_ms_per_1k_tokens: knob(
    "number",
    external_exports.number().min(0),
    15,
    "Extra step cost per 1,000 prompt tokens admitted in that step (prefill), in ms."
  ),
  max_batch: knob(
    "integer",
    external_exports.number().int().positive(),
    64,
    "Most sequences running at once; the rest wait in FIFO order."
  ),
  jitter: knob(
    "number",
    rate,
    0.03,
    "Coefficient of variation of the seeded lognormal noise on every step duration."
  ),
  slowdown: knob("number", multiplier, 1, "Multiplies every step duration (1.3 = 30% slower TTFT and ITL)."),
  prefill_slowdown: knob("number", multiplier, 1, "Multiplies prefill work only (TTFT-only regression)."),
  decode_slowdown: knob("number", multiplier, 1, "Multiplies decode work only (ITL-only regression)."),
  error_rate: knob("number", rate, 0, "Share of requests answered HTTP 500 before streaming."),
  rate_limit_in_flight: knob(
    "integer",
    external_exports.number().int().min(0),
    0,
    "Answer HTTP 429 when a request would make more than this many requests in flight (0 = off)."
  ),
  cold_start_s: knob(
    "number",
    external_exports.number().min(0),
    0,
    'For this many seconds after the server starts, every request gets HTTP 503 "model is not ready".'
  ),
  disconnect_rate: knob("number", rate, 0, "Share of streams whose socket is destroyed mid-stream."),
  malformed_rate: knob(
    "number",
    rate,
    0,
    "Share of streams that emit one unparseable data: event mid-stream."
  ),
  stream_error_rate: knob(
    "number",
    rate,
    0,
    'Share of streams that emit a data: {"error":...} event and end.'
  ),
  stream_throttle_rate: knob(
    "number",
    rate,
    0,
    "Share of streams that end mid-stream with a throttling error (AWS faces: a throttlingException frame; others: their error event)."
  ),
  split_frames: knob(
    "boolean",
    external_exports.boolean(),
    false,
    "AWS event-stream faces write every frame in two parts, the second 1 ms later (tests client-side reassembly)."
  ),
  usage: knob("boolean", external_exports.boolean(), true, "Honour stream_options.include_usage with a final usage chunk."),
  early_stop_rate: knob(
    "number",
    rate,
    0,
    'Share of requests without forced length (ignore_eos / min_tokens) that stop early with finish_reason "stop".'
  ),
  ignore_force_rate: knob(
    "number",
    rate,
    0,
    "Share of requests WITH forced length that still stop early (an endpoint ignoring ignore_eos)."
  ),
  tokens_per_chunk: knob(
    "integer",
    external_exports.number().int().positive(),
    1,
    "Tokens per streamed chunk after the first (server-side delta batching): tokens are generated at the same steps but held back and sent in groups."
  ),
  reasoning_tokens: knob(
    "integer",
    external_exports.number().int().min(0),
    0,
    "The first N generated tokens of chat responses are streamed as reasoning_content."
  ),
  default_max_tokens: knob(
    "integer",
    external_exports.number().int().positive(),
    256,
    "Output length for requests that send no max_tokens."
  ),
  model: knob(
    "string",
    external_exports.string(),
    "",
    'Served model name; when set, requests naming another model get HTTP 404 ("" = accept any name).'
  ),
  seed: knob(
    "integer",
    external_exports.number().int().min(0),
    0,
    "Seed of all randomness (faults, lengths, jitter, text)."
  ),
  log_truth: knob(
    "boolean",
    external_exports.boolean(),
    false,
    "Record per-request server-side timestamps, readable through truth()."
  )
};
var SimKnobError = class extends Error {
  name = "SimKnobError";
};
function flagOf(name) {
  return `--${name.replace(/_/g, "-")}`;
}
var NAMES = Object.keys(TABLE);
var SIM_KNOBS = NAMES.map((name) => ({
  name,
  flag: flagOf(name),
  type: TABLE[name].type,
  default: TABLE[name].default,
  description: TABLE[name].description
}));
function defaultKnobs() {
  return Object.fromEntries(NAMES.map((name) => [name, TABLE[name].default]));
}
function isKnobName(name) {
  return Object.hasOwn(TABLE, name);
}
function parseKnobs(partial = {}) {
  const problems = [];
  const result = defaultKnobs();
  for (const [name, value] of Object.entries(partial)) {
    if (!isKnobName(name)) {
      problems.push(`unknown sim knob "${name}" (known: ${NAMES.join(", ")})`);
      continue;
    }
    if (value === void 0) continue;
    const parsed = TABLE[name].schema.safeParse(value);
    if (parsed.success) {
      result[name] = parsed.data;
    } else {
      const reason = parsed.error.issues.map((issue) => issue.message).join("; ");
      problems.push(`sim knob ${name} (${flagOf(name)}): ${reason}, got ${JSON.stringify(value)}`);
    }
  }
  if (problems.length > 0) throw new SimKnobError(problems.join("\n"));
  return result;
}
function knobArgOptions() {
  return Object.fromEntries(NAMES.map((name) => [flagOf(name).slice(2), { type: "string" }]));
}
var TRUE_WORDS = /* @__PURE__ */ new Set(["true", "1", "yes", "on"]);
var FALSE_WORDS = /* @__PURE__ */ new Set(["false", "0", "no", "off"]);
function fromFlagText(name, text) {
  const type = TABLE[name].type;
  if (type === "string") return text;
  if (type === "boolean") {
    const lower = text.toLowerCase();
    if (TRUE_WORDS.has(lower)) return true;
    if (FALSE_WORDS.has(lower)) return false;
    throw new SimKnobError(`${flagOf(name)}: expected true or false, got "${text}"`);
  }
  const number = text.trim() === "" ? Number.NaN : Number(text);
  if (!Number.isFinite(number)) throw new SimKnobError(`${flagOf(name)}: expected a number, got "${text}"`);
  return number;
}
function knobsFromFlags(values) {
  const partial = {};
  for (const name of NAMES) {
    const value = values[flagOf(name).slice(2)];
    if (value === void 0) continue;
    partial[name] = typeof value === "string" ? fromFlagText(name, value) : value;
  }
  return parseKnobs(partial);
}
function formatKnobHelp() {
  const width = Math.max(...SIM_KNOBS.map((spec) => spec.flag.length));
  return SIM_KNOBS.map(
    (spec) => `  ${spec.flag.padEnd(width)}  ${spec.description} (${spec.type}, default ${JSON.stringify(spec.default)})`
  ).join("\n");
}

// src/sim/openai-wire.ts
var OpenAIRequestError = class extends Error {
  name = "OpenAIRequestError";
  param;
  constructor(message, param) {
    super(message);
    this.param = param;
  }
};
function errorBody(status, message, type, param = null) {
  return { error: { message, type, param, code: status } };
}
function isObject2(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
function optionalInteger(body, field, min) {
  const value = body[field];
  if (value === void 0 || value === null) return void 0;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min) {
    throw new OpenAIRequestError(`${field} must be an integer \u2265 ${min}, got ${JSON.stringify(value)}`, field);
  }
  return value;
}
function optionalBoolean(body, field) {
  const value = body[field];
  if (value === void 0 || value === null) return void 0;
  if (typeof value !== "boolean") throw new OpenAIRequestError(`${field} must be a boolean`, field);
  return value;
}
function messageTexts(messages) {
  if (!Array.isArray(messages) || messages.length === 0) {
    throw new OpenAIRequestError("messages must be a non-empty array", "messages");
  }
  const texts = [];
  messages.forEach((message, i) => {
    if (!isObject2(message) || typeof message.role !== "string") {
      throw new OpenAIRequestError(`messages[${i}] must be an object with a string role`, `messages[${i}]`);
    }
    const content = message.content;
    if (typeof content === "string") {
      texts.push(content);
    } else if (Array.isArray(content)) {
      for (const part of content) {
        if (isObject2(part) && part.type === "text" && typeof part.text === "string") texts.push(part.text);
      }
    } else if (content !== void 0 && content !== null) {
      throw new OpenAIRequestError(
        `messages[${i}].content must be a string or an array of parts`,
        `messages[${i}]`
      );
    }
  });
  return texts;
}
function isTokenIds(value) {
  return Array.isArray(value) && value.every((id) => Number.isInteger(id));
}
function completionPrompt(prompt) {
  if (typeof prompt === "string") return { kind: "texts", texts: [prompt] };
  if (isTokenIds(prompt) && prompt.length > 0) return { kind: "tokens", count: prompt.length };
  if (Array.isArray(prompt) && prompt.length === 1) {
    const only = prompt[0];
    if (typeof only === "string") return { kind: "texts", texts: [only] };
    if (isTokenIds(only) && only.length > 0) return { kind: "tokens", count: only.length };
  }
  throw new OpenAIRequestError(
    "prompt must be a string, a list of token ids, or a list holding one of these (the simulator serves one prompt per request)",
    "prompt"
  );
}
function parseOpenAIRequest(api, raw, defaultMaxTokens) {
  let body;
  try {
    body = JSON.parse(raw.toString("utf8"));
  } catch (error) {
    throw new OpenAIRequestError(`request body is not valid JSON: ${error.message}`, null);
  }
  if (!isObject2(body)) throw new OpenAIRequestError("request body must be a JSON object", null);
  const model = body.model;
  if (model !== void 0 && typeof model !== "string")
    throw new OpenAIRequestError("model must be a string", "model");
  const n = optionalInteger(body, "n", 1);
  if (n !== void 0 && n !== 1) throw new OpenAIRequestError("the simulator supports only n = 1", "n");
  const prompt = api === "chat" ? { kind: "texts", texts: messageTexts(body.messages) } : completionPrompt(body.prompt);
  const maxTokens = optionalInteger(body, "max_tokens", 1) ?? optionalInteger(body, "max_completion_tokens", 1) ?? defaultMaxTokens;
  const minTokens = optionalInteger(body, "min_tokens", 0) ?? 0;
  if (minTokens > maxTokens) {
    throw new OpenAIRequestError(
      `min_tokens (${minTokens}) must not exceed max_tokens (${maxTokens})`,
      "min_tokens"
    );
  }
  const ignoreEos = optionalBoolean(body, "ignore_eos") ?? false;
  const stream2 = optionalBoolean(body, "stream") ?? false;
  const options = body.stream_options;
  let includeUsage = false;
  if (options !== void 0 && options !== null) {
    if (!isObject2(options))
      throw new OpenAIRequestError("stream_options must be an object", "stream_options");
    includeUsage = optionalBoolean(options, "include_usage") ?? false;
  }
  return {
    api,
    model,
    prompt,
    maxTokens,
    minTokens: ignoreEos ? maxTokens : minTokens,
    stream: stream2,
    includeUsage
  };
}
function usageOf(promptTokens, completionTokens) {
  return {
    prompt_tokens: promptTokens,
    total_tokens: promptTokens + completionTokens,
    completion_tokens: completionTokens
  };
}
function event(json) {
  return `data: ${json}

`;
}
var DONE_EVENT = "data: [DONE]\n\n";
function responseId(meta) {
  return `${meta.api === "chat" ? "chatcmpl" : "cmpl"}-${meta.requestId}`;
}
var OpenAIChunks = class {
  #api;
  #head;
  #usageHead;
  constructor(meta) {
    this.#api = meta.api;
    const id = JSON.stringify(responseId(meta));
    const object = meta.api === "chat" ? '"chat.completion.chunk"' : '"text_completion"';
    this.#usageHead = `{"id":${id},"object":${object},"created":${meta.created},"model":${JSON.stringify(meta.model)}`;
    this.#head = `${this.#usageHead},"choices":[{"index":0,`;
  }
  /** The first chat event: the assistant role with empty content (vLLM sends it with the first token). */
  role() {
    return event(
      `${this.#head}"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]}`
    );
  }
  /** A content event; the last one carries the finish reason. Reasoning text goes to `reasoning_content` (chat). */
  content(text, reasoning, finishReason) {
    const finish = finishReason === null ? "null" : `"${finishReason}"`;
    if (this.#api === "completions") {
      return event(
        `${this.#head}"text":${JSON.stringify(text)},"logprobs":null,"finish_reason":${finish},"stop_reason":null}]}`
      );
    }
    const field = reasoning ? "reasoning_content" : "content";
    const stop = finishReason === null ? "" : ',"stop_reason":null';
    return event(
      `${this.#head}"delta":{"${field}":${JSON.stringify(text)}},"logprobs":null,"finish_reason":${finish}${stop}}]}`
    );
  }
  /** The final usage event (`choices: []`). */
  usage(promptTokens, completionTokens) {
    return event(
      `${this.#usageHead},"choices":[],"usage":${JSON.stringify(usageOf(promptTokens, completionTokens))}}`
    );
  }
  /** An event whose data is truncated JSON: no parser can read it, but SSE framing stays intact. */
  malformed() {
    return event(`${this.#head}"delta":{"content":`);
  }
  /** An error event as vLLM sends when generation fails mid-stream. */
  streamError(message) {
    return event(JSON.stringify(errorBody(500, message, "InternalServerError")));
  }
};
function completeBody(meta, text, finishReason, usage) {
  const { api } = meta;
  const choice = api === "chat" ? {
    index: 0,
    message: {
      role: "assistant",
      content: text.content,
      ...text.reasoning === "" ? {} : { reasoning_content: text.reasoning }
    },
    logprobs: null,
    finish_reason: finishReason,
    stop_reason: null
  } : { index: 0, text: text.content, logprobs: null, finish_reason: finishReason, stop_reason: null };
  return {
    id: responseId(meta),
    object: api === "chat" ? "chat.completion" : "text_completion",
    created: meta.created,
    model: meta.model,
    choices: [choice],
    ...usage === void 0 ? {} : { usage }
  };
}

// src/sim/openai-face.ts
var GENERATION_ROUTES = /* @__PURE__ */ new Map([
  ["/v1/chat/completions", "chat"],
  ["/v1/completions", "completions"]
]);
function createOpenAIFace(sim) {
  return (req, res, path) => {
    const method = req.method ?? "GET";
    const api = GENERATION_ROUTES.get(path);
    if (api !== void 0) {
      if (method !== "POST") return methodNotAllowed(res, method, path, "POST");
      generate2(sim, api, req, res).catch((error) => internalError2(res, error));
    } else if (path === "/v1/models" || path === "/health") {
      if (method !== "GET") return methodNotAllowed(res, method, path, "GET");
      if (sendIfCold(sim, res)) return true;
      if (path === "/health") {
        res.writeHead(200, { "content-length": 0 });
        res.end();
      } else {
        const id = sim.modelName(void 0);
        sendJson(res, 200, {
          object: "list",
          data: [{ id, object: "model", created: Math.floor(Date.now() / 1e3), owned_by: "llm-perf-gate" }]
        });
      }
    } else {
      return false;
    }
    return true;
  };
}
function internalError2(res, error) {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const message = `simulator internal error: ${error instanceof Error ? error.message : String(error)}`;
  sendJson(res, 500, errorBody(500, message, "InternalServerError"));
}
function methodNotAllowed(res, method, path, allowed) {
  sendJson(res, 405, errorBody(405, `method ${method} not allowed on ${path}`, "MethodNotAllowed"), {
    allow: allowed
  });
  return true;
}
function coldStartBody(sim) {
  const left = (sim.coldStartLeftMs() / 1e3).toFixed(1);
  return errorBody(
    503,
    `The model is not ready: loading (cold start, ${left} s left). Retry later.`,
    "ServiceUnavailableError"
  );
}
function sendIfCold(sim, res) {
  const left = sim.coldStartLeftMs();
  if (left <= 0) return false;
  sendJson(res, 503, coldStartBody(sim), { "retry-after": String(Math.ceil(left / 1e3)) });
  return true;
}
function reject2(x, status, fault, body, headers = {}, inputTokens = 0) {
  sendJson(x.res, status, body, { "x-request-id": x.requestId, ...headers });
  recordRejection(x.sim, x, status, fault, inputTokens);
}
async function generate2(sim, api, req, res) {
  const requestId = requestIdOf(req, () => sim.nextRequestId());
  let raw;
  try {
    raw = await readBody(req);
  } catch (error) {
    if (error instanceof BodyTooLargeError) {
      const x2 = { sim, res, requestId, arrivalMs: sim.now() };
      reject2(x2, 413, "bad_request", errorBody(413, error.message, "BadRequestError"), {
        connection: "close"
      });
    } else {
      res.destroy();
    }
    return;
  }
  const x = { sim, res, requestId, arrivalMs: sim.now() };
  const coldLeftMs = sim.coldStartLeftMs();
  if (coldLeftMs > 0) {
    const retryAfter = String(Math.ceil(coldLeftMs / 1e3));
    reject2(x, 503, "cold_start", coldStartBody(sim), { "retry-after": retryAfter });
    return;
  }
  let request;
  try {
    request = parseOpenAIRequest(api, raw, sim.knobs.default_max_tokens);
  } catch (error) {
    if (!(error instanceof OpenAIRequestError)) throw error;
    reject2(x, 400, "bad_request", errorBody(400, error.message, "BadRequestError", error.param));
    return;
  }
  if (!sim.servesModel(request.model)) {
    const message = `The model \`${request.model ?? ""}\` does not exist.`;
    reject2(x, 404, "unknown_model", errorBody(404, message, "NotFoundError", "model"));
    return;
  }
  if (!sim.enter()) {
    const limit = sim.knobs.rate_limit_in_flight;
    const message = `Rate limit reached: ${sim.inFlight} requests in flight (limit ${limit}). Retry later.`;
    reject2(x, 429, "rate_limited", errorBody(429, message, "RateLimitError"), { "retry-after": "1" });
    return;
  }
  const prompt = request.prompt;
  const inputTokens = prompt.kind === "tokens" ? prompt.count : prompt.texts.reduce((sum, t) => sum + sim.countPromptTokens(t), 0);
  const plan = sim.plan({ maxTokens: request.maxTokens, minTokens: request.minTokens });
  if (plan.kind === "error") {
    sim.leave();
    const body = errorBody(500, "Simulated internal server error (error_rate).", "InternalServerError");
    reject2(x, 500, "error_500", body, {}, inputTokens);
    return;
  }
  const meta = {
    api,
    requestId,
    created: Math.floor(Date.now() / 1e3),
    model: sim.modelName(request.model)
  };
  const accepted = { x, meta, request, plan, inputTokens };
  if (request.stream) stream(accepted);
  else respondOnce(accepted);
}
function jobOf(r) {
  const { sim, requestId, arrivalMs } = r.x;
  return { sim, requestId, arrivalMs, inputTokens: r.inputTokens, plan: r.plan };
}
function reasoningCount(r) {
  return r.meta.api === "chat" ? Math.min(r.x.sim.knobs.reasoning_tokens, r.plan.outputTokens) : 0;
}
function openAIStreamWire(meta, plan, options) {
  const chunks = new OpenAIChunks(meta);
  const reasoning = options.reasoningTokens;
  const promptTokens = options.usagePromptTokens;
  return {
    tokens(first, count) {
      const end = first + count;
      const finish = end === plan.outputTokens ? plan.finishReason : null;
      let out = first === 0 && meta.api === "chat" ? chunks.role() : "";
      if (first < reasoning) {
        const upto = Math.min(end, reasoning);
        out += chunks.content(
          tokensText(plan.textOffset, first, upto - first),
          true,
          upto === end ? finish : null
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
    end: (written) => (promptTokens === void 0 ? "" : chunks.usage(promptTokens, written)) + DONE_EVENT
  };
}
function stream(r) {
  const { x } = r;
  const { sim, res } = x;
  res.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache",
    "x-request-id": x.requestId
  });
  res.flushHeaders();
  const wire = openAIStreamWire(r.meta, r.plan, {
    reasoningTokens: reasoningCount(r),
    usagePromptTokens: r.request.includeUsage && sim.knobs.usage ? r.inputTokens : void 0
  });
  streamGeneration(jobOf(r), res, wire);
}
function respondOnce(r) {
  const { x, plan, meta } = r;
  const { sim, res } = x;
  const reasoning = reasoningCount(r);
  generateOnce(jobOf(r), res, () => {
    const text = {
      reasoning: tokensText(plan.textOffset, 0, reasoning),
      content: tokensText(plan.textOffset, reasoning, plan.outputTokens - reasoning)
    };
    const usage = sim.knobs.usage ? usageOf(r.inputTokens, plan.outputTokens) : void 0;
    sendJson(res, 200, completeBody(meta, text, plan.finishReason, usage), {
      "x-request-id": x.requestId
    });
  });
}

// src/sim/rng.ts
var RNG_STREAM = { request: 1, jitter: 2 };
function fmix32(h) {
  h ^= h >>> 16;
  h = Math.imul(h, 2246822507);
  h ^= h >>> 13;
  h = Math.imul(h, 3266489909);
  h ^= h >>> 16;
  return h >>> 0;
}
function deriveSeed(seed, stream2, index) {
  const low = seed >>> 0;
  const high = Math.floor(seed / 4294967296) >>> 0;
  let h = fmix32(low ^ 2654435769);
  h = fmix32(h ^ high);
  h = fmix32(h ^ Math.imul(stream2, 668265263));
  return fmix32(h ^ index >>> 0 ^ Math.imul(Math.floor(index / 4294967296), 374761393));
}
function createRng(seed32) {
  let state = seed32 >>> 0;
  return () => {
    state = state + 1831565813 >>> 0;
    let t = state;
    t = Math.imul(t ^ t >>> 15, t | 1);
    t ^= t + Math.imul(t ^ t >>> 7, t | 61);
    return ((t ^ t >>> 14) >>> 0) / 4294967296;
  };
}
function standardNormal(rng) {
  const u = 1 - rng();
  const v = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
function lognormalFactor(rng, cv) {
  if (cv <= 0) return 1;
  const sigma = Math.sqrt(Math.log(1 + cv * cv));
  return Math.exp(sigma * standardNormal(rng) - sigma * sigma / 2);
}

// src/sim/sagemaker-wire.ts
var import_eventstream_codec2 = __toESM(require_dist_cjs(), 1);
var encoder2 = new TextEncoder();
var decoder2 = new TextDecoder();
var codec2 = new import_eventstream_codec2.EventStreamCodec(
  (bytes) => decoder2.decode(bytes),
  (text) => encoder2.encode(text)
);
var RESPONSE_STREAM_PATH = /^\/endpoints\/([^/]+)\/invocations-response-stream$/;
var INFERENCE_ID_HEADER = "x-amzn-sagemaker-inference-id";
function payloadPartFrame(bytes) {
  return codec2.encode({
    headers: {
      ":message-type": { type: "string", value: "event" },
      ":event-type": { type: "string", value: "PayloadPart" },
      ":content-type": { type: "string", value: "application/octet-stream" }
    },
    body: bytes
  });
}
function modelStreamErrorFrame(message, errorCode) {
  return codec2.encode({
    headers: {
      ":message-type": { type: "string", value: "exception" },
      ":exception-type": { type: "string", value: "ModelStreamError" },
      ":content-type": { type: "string", value: "application/json" }
    },
    body: encoder2.encode(JSON.stringify({ Message: message, ErrorCode: errorCode }))
  });
}
var PayloadSplitter = class {
  #rng;
  constructor(rng) {
    this.#rng = rng;
  }
  /** The frames of `data`: one to three parts, cut at random offsets. */
  frames(data) {
    const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : Buffer.from(data);
    if (bytes.length === 0) return bytes;
    const cuts = /* @__PURE__ */ new Set();
    const wanted = Math.floor(this.#rng() * 3);
    for (let i = 0; i < wanted && bytes.length > 1; i++)
      cuts.add(1 + Math.floor(this.#rng() * (bytes.length - 1)));
    const offsets = [...cuts].sort((a, b) => a - b);
    const frames = [];
    let start = 0;
    for (const offset of [...offsets, bytes.length]) {
      frames.push(payloadPartFrame(bytes.subarray(start, offset)));
      start = offset;
    }
    return Buffer.concat(frames);
  }
};
function streamHeaders(requestId, containerType) {
  return {
    "content-type": EVENT_STREAM_CONTENT_TYPE,
    "x-amzn-requestid": requestId,
    "x-amzn-sagemaker-content-type": containerType,
    "x-amzn-invoked-production-variant": "AllTraffic"
  };
}
function sendAwsError(res, status, errorType, body, requestId) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    "x-amzn-errortype": errorType,
    "x-amzn-requestid": requestId
  });
  res.end(text);
}
function modelErrorBody(status, containerMessage, endpointName) {
  const logGroup = `/aws/sagemaker/Endpoints/${endpointName}`;
  return {
    ErrorCode: status < 500 ? "CLIENT_ERROR_FROM_MODEL" : "SERVER_ERROR_FROM_MODEL",
    LogStreamArn: `arn:aws:logs:us-east-1:123456789012:log-group:${logGroup}`,
    Message: `Received ${status < 500 ? "client" : "server"} error (${status}) from primary with message "${containerMessage}". See the ${logGroup} log group for more information.`,
    OriginalMessage: containerMessage,
    OriginalStatusCode: status
  };
}

// src/sim/tgi-wire.ts
var TgiRequestError = class extends Error {
  constructor(kind, message) {
    super(message);
    this.kind = kind;
  }
  kind;
  name = "TgiRequestError";
};
function tgiErrorBody(message, errorType) {
  return { error: message, error_type: errorType };
}
var OVERLOADED_MESSAGE = "Model is overloaded";
function isObject3(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
function parseTgiRequest(raw, defaultMaxTokens) {
  let body;
  try {
    body = JSON.parse(raw.toString("utf8"));
  } catch (error) {
    throw new TgiRequestError(
      "syntax",
      `Failed to parse the request body as JSON: ${error.message}`
    );
  }
  const reject3 = (message) => {
    throw new TgiRequestError("data", `Failed to deserialize the JSON body into the target type: ${message}`);
  };
  if (!isObject3(body)) return reject3("expected a JSON object");
  const inputs = body.inputs;
  if (inputs === void 0) return reject3("missing field `inputs`");
  if (typeof inputs !== "string") return reject3("inputs: invalid type, expected a string");
  const stream2 = body.stream ?? false;
  if (typeof stream2 !== "boolean") return reject3("stream: invalid type, expected a boolean");
  const parameters = body.parameters ?? {};
  if (!isObject3(parameters)) return reject3("parameters: invalid type, expected struct GenerateParameters");
  const details = parameters.details ?? false;
  if (typeof details !== "boolean") return reject3("parameters.details: invalid type, expected a boolean");
  const max = parameters.max_new_tokens ?? defaultMaxTokens;
  if (typeof max !== "number" || !Number.isInteger(max) || max < 0) {
    return reject3("parameters.max_new_tokens: invalid value, expected u32");
  }
  if (inputs.length === 0)
    throw new TgiRequestError("validation", "Input validation error: `inputs` cannot be empty");
  if (max === 0) {
    throw new TgiRequestError(
      "validation",
      "Input validation error: `max_new_tokens` must be strictly positive"
    );
  }
  return { inputs, maxNewTokens: max, details, stream: stream2 };
}
function tgiFinishReason(finishReason) {
  return finishReason === "stop" ? "eos_token" : "length";
}
var EOS_TOKEN = { id: 2, text: "</s>", logprob: -0.0625, special: true };
var TOKEN_IDS = new Map(VOCABULARY.map((word, i) => [word, 1e3 + i * 17]));
function contentTokens(r) {
  return r.finishReason === "stop" ? r.outputTokens - 1 : r.outputTokens;
}
function tokenJson(r, index) {
  if (index >= contentTokens(r)) return JSON.stringify(EOS_TOKEN);
  const text = tokenText(r.textOffset, index);
  const id = TOKEN_IDS.get(text) ?? 0;
  const logprob = -(id % 97 / 128);
  return `{"id":${id},"text":${JSON.stringify(text)},"logprob":${logprob},"special":false}`;
}
function tgiGeneratedText(r) {
  return tokensText(r.textOffset, 0, contentTokens(r));
}
function detailsJson(r) {
  return `{"finish_reason":"${tgiFinishReason(r.finishReason)}","generated_tokens":${r.outputTokens},"seed":null,"input_length":${r.inputTokens}}`;
}
function event2(json) {
  return `data:${json}

`;
}
function tgiErrorEvent(message, errorType) {
  return event2(JSON.stringify(tgiErrorBody(message, errorType)));
}
function tgiTokenEvents(r, first, count) {
  let out = "";
  for (let i = first; i < first + count; i++) {
    const last = i === r.outputTokens - 1;
    const tail = last ? `"generated_text":${JSON.stringify(tgiGeneratedText(r))},"details":${r.details ? detailsJson(r) : "null"}` : '"generated_text":null,"details":null';
    out += event2(`{"index":${i + 1},"token":${tokenJson(r, i)},${tail}}`);
  }
  return out;
}
function tgiStreamWire(r) {
  return {
    tokens: (first, count) => tgiTokenEvents(r, first, count),
    malformed: () => event2('{"index":0,"token":{"id":'),
    streamError: (message) => tgiErrorEvent(message, "generation"),
    end: () => ""
  };
}
function tgiGenerateBody(r) {
  const body = { generated_text: tgiGeneratedText(r) };
  if (r.details) {
    body.details = {
      finish_reason: tgiFinishReason(r.finishReason),
      generated_tokens: r.outputTokens,
      seed: null,
      prefill: [],
      tokens: Array.from({ length: r.outputTokens }, (_, i) => JSON.parse(tokenJson(r, i)))
    };
  }
  return body;
}

// src/sim/sagemaker-face.ts
var SIM_ENDPOINT_NAME = "llm-perf-gate-sim";
var SPLIT_STREAM = 101;
function sagemakerDemoTarget(addresses, payload) {
  return {
    provider: "sagemaker",
    endpoint_name: SIM_ENDPOINT_NAME,
    region: "us-east-1",
    endpoint_url: addresses.origin,
    payload
  };
}
function createSageMakerFace(sim) {
  let streams = 0;
  return (req, res, path) => {
    const match = RESPONSE_STREAM_PATH.exec(path);
    if (match === null) return false;
    const requestId = requestIdOf2(req, sim);
    const method = req.method ?? "GET";
    if (method !== "POST") {
      sendAwsError(res, 405, "UnknownOperationException", { message: `${method} ${path}` }, requestId);
      return true;
    }
    const splitter = new PayloadSplitter(createRng(deriveSeed(sim.knobs.seed, SPLIT_STREAM, streams++)));
    invoke(sim, match[1] ?? "", requestId, splitter, req, res).catch((error) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const message = `simulator internal error: ${error instanceof Error ? error.message : String(error)}`;
      sendAwsError(res, 500, "InternalFailure", { Message: message }, requestId);
    });
    return true;
  };
}
function requestIdOf2(req, sim) {
  for (const name of [INFERENCE_ID_HEADER, "x-request-id"]) {
    const header = req.headers[name];
    const value = (Array.isArray(header) ? header[0] : header)?.trim();
    if (value !== void 0 && value !== "") return value.slice(0, 256);
  }
  return sim.nextRequestId();
}
function parsePayload(raw, defaultMaxTokens) {
  let hasMessages = false;
  try {
    const body = JSON.parse(raw.toString("utf8"));
    hasMessages = typeof body === "object" && body !== null && "messages" in body;
  } catch {
  }
  return hasMessages ? { kind: "messages", request: parseOpenAIRequest("chat", raw, defaultMaxTokens) } : { kind: "tgi", request: parseTgiRequest(raw, defaultMaxTokens) };
}
function payloadWire(wire, splitter) {
  return {
    tokens: (first, count) => splitter.frames(wire.tokens(first, count)),
    malformed: () => splitter.frames(wire.malformed()),
    streamError: (message) => modelStreamErrorFrame(message, "StreamBroken"),
    end: (written) => splitter.frames(wire.end(written))
  };
}
async function invoke(sim, encodedName, requestId, splitter, req, res) {
  let raw;
  try {
    raw = await readBody(req);
  } catch (error) {
    if (error instanceof BodyTooLargeError) {
      sendAwsError(res, 413, "ValidationError", { Message: error.message }, requestId);
      recordRejection(sim, { requestId, arrivalMs: sim.now() }, 413, "bad_request");
    } else {
      res.destroy();
    }
    return;
  }
  const x = { requestId, arrivalMs: sim.now() };
  let endpointName;
  try {
    endpointName = decodeURIComponent(encodedName);
  } catch {
    endpointName = encodedName;
  }
  if (!sim.servesModel(endpointName)) {
    const message = `Endpoint ${endpointName} of account 123456789012 not found.`;
    sendAwsError(res, 400, "ValidationError", { Message: message }, requestId);
    recordRejection(sim, x, 400, "unknown_model");
    return;
  }
  const coldLeftMs = sim.coldStartLeftMs();
  if (coldLeftMs > 0) {
    const left = (coldLeftMs / 1e3).toFixed(1);
    const message = `Model is not ready: loading (cold start, ${left} s left). Retry later.`;
    sendAwsError(res, 429, "ModelNotReadyException", { Message: message }, requestId);
    recordRejection(sim, x, 429, "cold_start");
    return;
  }
  let payload;
  try {
    payload = parsePayload(raw, sim.knobs.default_max_tokens);
  } catch (error) {
    if (!(error instanceof TgiRequestError) && !(error instanceof OpenAIRequestError)) throw error;
    const status = error instanceof TgiRequestError && error.kind !== "syntax" ? 422 : 400;
    sendAwsError(res, 424, "ModelError", modelErrorBody(status, error.message, endpointName), requestId);
    recordRejection(sim, x, 424, "bad_request");
    return;
  }
  const inputTokens = payload.kind === "tgi" ? sim.countPromptTokens(payload.request.inputs) : payload.request.prompt.kind === "tokens" ? payload.request.prompt.count : payload.request.prompt.texts.reduce((sum, t) => sum + sim.countPromptTokens(t), 0);
  if (!sim.enter()) {
    const limit = sim.knobs.rate_limit_in_flight;
    const message = `Rate exceeded: ${sim.inFlight} invocations in flight (limit ${limit}).`;
    sendAwsError(res, 400, "ThrottlingException", { message }, requestId);
    recordRejection(sim, x, 400, "rate_limited", inputTokens);
    return;
  }
  const lengths = payload.kind === "tgi" ? { maxTokens: payload.request.maxNewTokens, minTokens: 0 } : { maxTokens: payload.request.maxTokens, minTokens: payload.request.minTokens };
  const plan = sim.plan(lengths);
  if (plan.kind === "error") {
    sim.leave();
    const body = modelErrorBody(500, "Simulated internal server error (error_rate).", endpointName);
    sendAwsError(res, 424, "ModelError", body, requestId);
    recordRejection(sim, x, 424, "error_500", inputTokens);
    return;
  }
  const job = { sim, ...x, inputTokens, plan };
  let wire;
  let complete;
  let streaming;
  if (payload.kind === "tgi") {
    const response = {
      textOffset: plan.textOffset,
      outputTokens: plan.outputTokens,
      finishReason: plan.finishReason,
      inputTokens,
      details: payload.request.details && sim.knobs.usage
    };
    streaming = payload.request.stream;
    wire = tgiStreamWire(response);
    complete = () => JSON.stringify(tgiGenerateBody(response));
  } else {
    const request = payload.request;
    const meta = {
      api: "chat",
      requestId,
      created: Math.floor(Date.now() / 1e3),
      model: sim.modelName(request.model)
    };
    const reasoning = Math.min(sim.knobs.reasoning_tokens, plan.outputTokens);
    streaming = request.stream;
    wire = openAIStreamWire(meta, plan, {
      reasoningTokens: reasoning,
      usagePromptTokens: request.includeUsage && sim.knobs.usage ? inputTokens : void 0
    });
    complete = () => {
      const text = {
        reasoning: tokensText(plan.textOffset, 0, reasoning),
        content: tokensText(plan.textOffset, reasoning, plan.outputTokens - reasoning)
      };
      const usage = sim.knobs.usage ? usageOf(inputTokens, plan.outputTokens) : void 0;
      return JSON.stringify(completeBody(meta, text, plan.finishReason, usage));
    };
  }
  res.writeHead(200, streamHeaders(requestId, streaming ? "text/event-stream" : "application/json"));
  res.flushHeaders();
  if (streaming) streamGeneration(job, res, payloadWire(wire, splitter));
  else generateOnce(job, res, () => res.end(splitter.frames(complete())));
}

// src/sim/tgi-face.ts
function tgiDemoTarget(addresses) {
  return { provider: "tgi", base_url: addresses.origin };
}
function createTgiFace(sim) {
  return (req, res, path) => {
    const method = req.method ?? "GET";
    if (path === "/generate_stream" || path === "/generate") {
      if (method !== "POST") return methodNotAllowed2(res, method, path, "POST");
      generate3(sim, path === "/generate_stream", req, res).catch(
        (error) => internalError3(res, error)
      );
      return true;
    }
    if (path === "/info") {
      if (method !== "GET") return methodNotAllowed2(res, method, path, "GET");
      if (sendIfCold2(sim, res)) return true;
      sendJson(res, 200, info(sim));
      return true;
    }
    return false;
  };
}
function info(sim) {
  return {
    model_id: sim.modelName(void 0),
    model_sha: null,
    model_pipeline_tag: "text-generation",
    max_concurrent_requests: sim.knobs.rate_limit_in_flight > 0 ? sim.knobs.rate_limit_in_flight : 128,
    max_best_of: 1,
    max_stop_sequences: 4,
    max_input_tokens: 8191,
    max_total_tokens: 8192,
    validation_workers: 2,
    max_client_batch_size: 4,
    router: "text-generation-router",
    version: "llm-perf-gate-sim",
    sha: null,
    docker_label: null
  };
}
function internalError3(res, error) {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const message = `simulator internal error: ${error instanceof Error ? error.message : String(error)}`;
  sendJson(res, 500, tgiErrorBody(message, "internal"));
}
function methodNotAllowed2(res, method, path, allowed) {
  sendJson(res, 405, tgiErrorBody(`method ${method} not allowed on ${path}`, "validation"), {
    allow: allowed
  });
  return true;
}
function coldStartMessage(sim) {
  const left = (sim.coldStartLeftMs() / 1e3).toFixed(1);
  return `Model is not ready: loading (cold start, ${left} s left). Retry later.`;
}
function sendIfCold2(sim, res) {
  const left = sim.coldStartLeftMs();
  if (left <= 0) return false;
  sendJson(res, 503, tgiErrorBody(coldStartMessage(sim), "unhealthy"), {
    "retry-after": String(Math.ceil(left / 1e3))
  });
  return true;
}
function startStream(res, requestId) {
  res.writeHead(200, {
    "content-type": "text/event-stream",
    "cache-control": "no-cache",
    "x-request-id": requestId
  });
  res.flushHeaders();
}
async function generate3(sim, streaming, req, res) {
  const requestId = requestIdOf(req, () => sim.nextRequestId());
  let raw;
  try {
    raw = await readBody(req);
  } catch (error) {
    if (error instanceof BodyTooLargeError) {
      sendJson(res, 413, tgiErrorBody(error.message, "validation"), { connection: "close" });
      recordRejection(sim, { requestId, arrivalMs: sim.now() }, 413, "bad_request");
    } else {
      res.destroy();
    }
    return;
  }
  const x = { requestId, arrivalMs: sim.now() };
  const headers = { "x-request-id": requestId };
  const coldLeftMs = sim.coldStartLeftMs();
  if (coldLeftMs > 0) {
    sendJson(res, 503, tgiErrorBody(coldStartMessage(sim), "unhealthy"), {
      ...headers,
      "retry-after": String(Math.ceil(coldLeftMs / 1e3))
    });
    recordRejection(sim, x, 503, "cold_start");
    return;
  }
  let request;
  try {
    request = parseTgiRequest(raw, sim.knobs.default_max_tokens);
  } catch (error) {
    if (!(error instanceof TgiRequestError)) throw error;
    if (error.kind === "validation" && streaming) {
      startStream(res, requestId);
      res.end(tgiErrorEvent(error.message, "validation"));
      recordRejection(sim, x, 200, "bad_request");
    } else if (error.kind === "validation") {
      sendJson(res, 422, tgiErrorBody(error.message, "validation"), headers);
      recordRejection(sim, x, 422, "bad_request");
    } else {
      const status = error.kind === "syntax" ? 400 : 422;
      const text = error.message;
      res.writeHead(status, {
        "content-type": "text/plain; charset=utf-8",
        "content-length": Buffer.byteLength(text),
        ...headers
      });
      res.end(text);
      recordRejection(sim, x, status, "bad_request");
    }
    return;
  }
  const inputTokens = sim.countPromptTokens(request.inputs);
  if (!sim.enter()) {
    if (streaming) {
      startStream(res, requestId);
      res.end(tgiErrorEvent(OVERLOADED_MESSAGE, "overloaded"));
      recordRejection(sim, x, 200, "rate_limited", inputTokens);
    } else {
      sendJson(res, 429, tgiErrorBody(OVERLOADED_MESSAGE, "overloaded"), headers);
      recordRejection(sim, x, 429, "rate_limited", inputTokens);
    }
    return;
  }
  const plan = sim.plan({ maxTokens: request.maxNewTokens, minTokens: 0 });
  if (plan.kind === "error") {
    sim.leave();
    const message = "Simulated internal server error (error_rate).";
    sendJson(res, 500, tgiErrorBody(message, "incomplete_generation"), headers);
    recordRejection(sim, x, 500, "error_500", inputTokens);
    return;
  }
  const job = { sim, ...x, inputTokens, plan };
  const response = {
    textOffset: plan.textOffset,
    outputTokens: plan.outputTokens,
    finishReason: plan.finishReason,
    inputTokens,
    details: request.details && sim.knobs.usage
  };
  if (streaming) {
    startStream(res, requestId);
    streamGeneration(job, res, tgiStreamWire(response));
  } else {
    generateOnce(job, res, () => sendJson(res, 200, tgiGenerateBody(response), headers));
  }
}

// src/sim/router.ts
function createFaces(sim) {
  return [createOpenAIFace(sim), createTgiFace(sim), createSageMakerFace(sim), createBedrockFace(sim)];
}
function createSimListener(sim) {
  const faces = createFaces(sim);
  return (req, res) => {
    const path = (req.url ?? "/").split("?", 1)[0] ?? "/";
    for (const face of faces) if (face(req, res, path)) return;
    sendJson(res, 404, errorBody(404, `unknown route: ${req.method ?? "GET"} ${path}`, "NotFoundError"));
  };
}

// src/sim/model.ts
var EARLY_TOLERANCE_MS = 0.05;
var BatchingModel = class {
  #timing;
  #jitter;
  #now;
  #queue = [];
  /** Running sequences in admission order (a Set keeps insertion order). */
  #running = /* @__PURE__ */ new Set();
  #timeout;
  #immediate;
  #busy = false;
  #stopped = false;
  #plannedEnd = 0;
  #lastDuration = 0;
  /**
   * @param timing the timing knobs
   * @param jitter seeded generator for step noise
   * @param now monotonic clock in ms
   */
  constructor(timing, jitter, now = () => performance.now()) {
    this.#timing = timing;
    this.#jitter = jitter;
    this.#now = now;
  }
  /** Queue a sequence. It is admitted at the start of the next step with room in the batch. */
  submit(job, sink) {
    if (!Number.isInteger(job.outputTokens) || job.outputTokens < 1) {
      throw new RangeError(
        `BatchingModel.submit: outputTokens must be a positive integer, got ${job.outputTokens}`
      );
    }
    if (!Number.isFinite(job.inputTokens) || job.inputTokens < 0) {
      throw new RangeError(
        `BatchingModel.submit: inputTokens must be a non-negative number, got ${job.inputTokens}`
      );
    }
    if (this.#stopped) throw new Error("BatchingModel.submit: the model was stopped");
    const sequence = { job, sink, state: "queued", generated: 0, emitted: 0 };
    this.#queue.push(sequence);
    if (!this.#busy) {
      this.#busy = true;
      this.#immediate = setImmediate(() => {
        this.#immediate = void 0;
        this.#startStep(this.#now());
      });
    }
    return { cancel: () => this.#cancel(sequence) };
  }
  /** Current batch occupancy and queue length. */
  load() {
    return { running: this.#running.size, queued: this.#queue.length };
  }
  /** Stop for good: clear the timer and drop every sequence without calling their sinks. */
  stop() {
    this.#stopped = true;
    clearTimeout(this.#timeout);
    clearImmediate(this.#immediate);
    this.#timeout = void 0;
    this.#immediate = void 0;
    for (const sequence of this.#queue) sequence.state = "cancelled";
    for (const sequence of this.#running) sequence.state = "cancelled";
    this.#queue.length = 0;
    this.#running.clear();
    this.#busy = false;
  }
  #cancel(sequence) {
    if (sequence.state === "queued") {
      const at = this.#queue.indexOf(sequence);
      if (at >= 0) this.#queue.splice(at, 1);
    } else if (sequence.state === "running") {
      this.#running.delete(sequence);
    }
    if (sequence.state !== "finished") sequence.state = "cancelled";
  }
  #startStep(start) {
    const t = this.#timing;
    const decoding = this.#running.size;
    let admittedTokens = 0;
    while (this.#running.size < t.max_batch) {
      const next = this.#queue.shift();
      if (next === void 0) break;
      next.state = "running";
      this.#running.add(next);
      admittedTokens += next.job.inputTokens;
    }
    if (this.#running.size === 0) {
      this.#busy = false;
      return;
    }
    const pass = t.step_ms + t.per_seq_ms * this.#running.size;
    const prefill = t.prefill_ms_per_1k_tokens * admittedTokens / 1e3;
    const work = decoding > 0 ? pass * t.decode_slowdown + prefill * t.prefill_slowdown : (pass + prefill) * t.prefill_slowdown;
    const duration = work * t.slowdown * lognormalFactor(this.#jitter, t.jitter);
    this.#lastDuration = duration;
    this.#plannedEnd = start + duration;
    this.#arm(this.#plannedEnd - this.#now());
  }
  /**
   * Arm the end-of-step timer. Node measures timer delays from the event loop's cached time, which can be up to a
   * millisecond stale, so a timer may fire early: then it is re-armed for the rest, and a step never ends before its
   * planned end (it may end up to ~1 ms late, which the next step's drift correction absorbs).
   */
  #arm(wait) {
    if (wait <= 0) {
      this.#immediate = setImmediate(() => {
        this.#immediate = void 0;
        this.#endStep();
      });
      return;
    }
    this.#timeout = setTimeout(() => {
      this.#timeout = void 0;
      const left = this.#plannedEnd - this.#now();
      if (left > EARLY_TOLERANCE_MS) this.#arm(left);
      else this.#endStep();
    }, wait);
  }
  #endStep() {
    const chunk = this.#timing.tokens_per_chunk;
    for (const sequence of Array.from(this.#running)) {
      if (sequence.state !== "running") continue;
      sequence.generated += 1;
      const finished = sequence.generated >= sequence.job.outputTokens;
      const pending = sequence.generated - sequence.emitted;
      if (sequence.emitted === 0 || pending >= chunk || finished) {
        const first = sequence.emitted;
        sequence.emitted = sequence.generated;
        sequence.sink.tokens(first, pending);
      }
      if (finished && sequence.state === "running") {
        sequence.state = "finished";
        this.#running.delete(sequence);
        sequence.sink.done();
      }
    }
    if (this.#stopped) return;
    if (this.#running.size === 0 && this.#queue.length === 0) {
      this.#busy = false;
      return;
    }
    const now = this.#now();
    const late = now - this.#plannedEnd;
    this.#startStep(late > this.#lastDuration ? now : this.#plannedEnd);
  }
};

// src/sim/plan.ts
function planRequest(knobs, rng, request) {
  const failDraw = rng();
  const earlyDraw = rng();
  const lengthDraw = rng();
  const disconnectDraw = rng();
  const streamErrorDraw = rng();
  const malformedDraw = rng();
  const positionDraw = rng();
  const textOffset = Math.floor(rng() * VOCABULARY.length);
  const throttleDraw = rng();
  if (failDraw < knobs.error_rate) return { kind: "error" };
  const { maxTokens } = request;
  const forced = request.minTokens >= maxTokens;
  const stopsEarly = earlyDraw < (forced ? knobs.ignore_force_rate : knobs.early_stop_rate);
  const shortest = forced ? 1 : Math.max(1, request.minTokens);
  let outputTokens = maxTokens;
  if (stopsEarly && shortest < maxTokens) {
    outputTokens = shortest + Math.floor(lengthDraw * (maxTokens - shortest));
  }
  const afterTokens = 1 + Math.floor(positionDraw * Math.max(1, outputTokens - 1));
  let fault;
  if (disconnectDraw < knobs.disconnect_rate) fault = { kind: "disconnect", afterTokens };
  else if (streamErrorDraw < knobs.stream_error_rate) fault = { kind: "stream_error", afterTokens };
  else if (malformedDraw < knobs.malformed_rate) fault = { kind: "malformed", afterTokens };
  else if (throttleDraw < knobs.stream_throttle_rate) fault = { kind: "stream_throttle", afterTokens };
  return {
    kind: "generate",
    outputTokens,
    finishReason: outputTokens < maxTokens ? "stop" : "length",
    fault,
    textOffset
  };
}

// src/sim/truth.ts
var TruthLog = class {
  #enabled;
  #records = [];
  constructor(enabled) {
    this.#enabled = enabled;
  }
  /** Append one record (ignored when the log is disabled). */
  add(record) {
    if (this.#enabled) this.#records.push(record);
  }
  /** A copy of every record so far, in the order the requests ended. */
  list() {
    return this.#records.slice();
  }
  /** Forget every record. */
  clear() {
    this.#records = [];
  }
};

// src/sim/simulation.ts
var DEFAULT_MODEL_NAME = "llm-perf-gate-sim";
var Simulation = class {
  knobs;
  model;
  truth;
  #now;
  #readyAt = 0;
  #inFlight = 0;
  #planned = 0;
  #unnamed = 0;
  constructor(knobs, now = () => performance.now()) {
    this.knobs = knobs;
    this.#now = now;
    this.model = new BatchingModel(knobs, createRng(deriveSeed(knobs.seed, RNG_STREAM.jitter, 0)), now);
    this.truth = new TruthLog(knobs.log_truth);
  }
  /** The server started listening: the cold start (cold_start_s) counts from now. */
  markStarted() {
    this.#readyAt = this.#now() + this.knobs.cold_start_s * 1e3;
  }
  /** Milliseconds of cold start left (0 once the model is "loaded"). */
  coldStartLeftMs() {
    return Math.max(0, this.#readyAt - this.#now());
  }
  /** Requests admitted and not yet ended. */
  get inFlight() {
    return this.#inFlight;
  }
  /**
   * Admit a generation request unless that would put more than rate_limit_in_flight requests in flight. An admitted
   * request counts as in flight until {@link leave}.
   */
  enter() {
    const limit = this.knobs.rate_limit_in_flight;
    if (limit > 0 && this.#inFlight >= limit) return false;
    this.#inFlight += 1;
    return true;
  }
  /** An admitted request ended (in any way). */
  leave() {
    this.#inFlight = Math.max(0, this.#inFlight - 1);
  }
  /** Plan the next valid, admitted request: its fate depends only on the seed and how many were planned before. */
  plan(request) {
    const rng = createRng(deriveSeed(this.knobs.seed, RNG_STREAM.request, this.#planned));
    this.#planned += 1;
    return planRequest(this.knobs, rng, request);
  }
  /** An id for a request that sent no X-Request-Id: "sim-1", "sim-2", ... (deterministic, like everything else). */
  nextRequestId() {
    this.#unnamed += 1;
    return `sim-${this.#unnamed}`;
  }
  /** Prompt tokens of `text`, counted with the workload's tokenizer (cl100k_base) so usage matches the client. */
  countPromptTokens(text) {
    return text.length === 0 ? 0 : countTokens(text);
  }
  /** The model name to report for a request that named `requested` (undefined when it named none). */
  modelName(requested) {
    return requested ?? (this.knobs.model === "" ? DEFAULT_MODEL_NAME : this.knobs.model);
  }
  /** Whether a request naming `requested` targets the served model. */
  servesModel(requested) {
    return this.knobs.model === "" || requested === void 0 || requested === this.knobs.model;
  }
  /** Milliseconds on the simulator's clock. */
  now() {
    return this.#now();
  }
  /** Stop the model's timers and drop its sequences. */
  stop() {
    this.model.stop();
  }
};

// src/sim/server.ts
var DEFAULT_SIM_HOST = "127.0.0.1";
function simulatorUrl(host, port) {
  const name = host.includes(":") ? `[${host}]` : host;
  return `http://${name}:${port}/v1`;
}
async function startSimulator(knobs = {}, options = {}) {
  const parsed = parseKnobs(knobs);
  const host = options.host ?? DEFAULT_SIM_HOST;
  const sim = new Simulation(parsed);
  const server = createServer2({ noDelay: true, keepAlive: true }, createSimListener(sim));
  server.keepAliveTimeout = 65e3;
  await new Promise((resolve, reject3) => {
    server.once("error", reject3);
    server.listen({ port: options.port ?? 0, host }, () => {
      server.off("error", reject3);
      resolve();
    });
  });
  let h22;
  try {
    h22 = await startBedrockH2Server(sim, host, options.h2Port ?? 0);
  } catch (error) {
    server.close();
    throw error;
  }
  sim.markStarted();
  const port = server.address().port;
  let closing;
  return {
    url: simulatorUrl(host, port),
    origin: simulatorUrl(host, port).replace(/\/v1$/, ""),
    port,
    h2Origin: simulatorUrl(host, h22.port).replace(/\/v1$/, ""),
    knobs: parsed,
    truth: () => Promise.resolve(sim.truth.list()),
    clearTruth: () => {
      sim.truth.clear();
      return Promise.resolve();
    },
    close: () => {
      closing ??= Promise.all([
        new Promise((resolve, reject3) => {
          sim.stop();
          server.close((error) => error === void 0 ? resolve() : reject3(error));
          server.closeAllConnections();
        }),
        h22.close()
      ]).then(() => void 0);
      return closing;
    }
  };
}

export {
  SimKnobError,
  parseKnobs,
  knobArgOptions,
  knobsFromFlags,
  formatKnobHelp,
  sagemakerDemoTarget,
  tgiDemoTarget,
  DEFAULT_SIM_HOST,
  startSimulator
};
