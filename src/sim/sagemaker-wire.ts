/**
 * SageMaker Runtime's wire for InvokeEndpointWithResponseStream (restJson1 + AWS event stream), as the AWS SDK reads
 * it: a 200 response of `PayloadPart` event frames whose payload is raw bytes of the container's output (the frame
 * body IS the `Bytes` member: it carries the eventPayload trait), `ModelStreamError` exception frames mid-stream, and
 * errors before the stream as JSON bodies named by the `x-amzn-ErrorType` header. Pure functions; no sockets.
 */
import type { ServerResponse } from 'node:http';
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { EVENT_STREAM_CONTENT_TYPE } from './event-stream.js';
import type { Rng } from './rng.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const codec = new EventStreamCodec(
  (bytes: Uint8Array) => decoder.decode(bytes),
  (text: string) => encoder.encode(text),
);

/** The REST path the SDK posts InvokeEndpointWithResponseStream to, with the endpoint name URL-encoded. */
export const RESPONSE_STREAM_PATH = /^\/endpoints\/([^/]+)\/invocations-response-stream$/;

/** The request header the SDK sends InferenceId in (lower case, as node:http presents it). */
export const INFERENCE_ID_HEADER = 'x-amzn-sagemaker-inference-id';

/** One `PayloadPart` event frame carrying `bytes`. */
export function payloadPartFrame(bytes: Uint8Array): Uint8Array {
  return codec.encode({
    headers: {
      ':message-type': { type: 'string', value: 'event' },
      ':event-type': { type: 'string', value: 'PayloadPart' },
      ':content-type': { type: 'string', value: 'application/octet-stream' },
    },
    body: bytes,
  });
}

/** A `ModelStreamError` exception frame: the container failed while streaming. */
export function modelStreamErrorFrame(message: string, errorCode: string): Uint8Array {
  return codec.encode({
    headers: {
      ':message-type': { type: 'string', value: 'exception' },
      ':exception-type': { type: 'string', value: 'ModelStreamError' },
      ':content-type': { type: 'string', value: 'application/json' },
    },
    body: encoder.encode(JSON.stringify({ Message: message, ErrorCode: errorCode })),
  });
}

/**
 * Cuts container output into `PayloadPart` frames at seeded arbitrary byte offsets, as SageMaker forwards it: a JSON
 * object, an SSE line or a multi-byte UTF-8 character may straddle two parts.
 */
export class PayloadSplitter {
  readonly #rng: Rng;

  constructor(rng: Rng) {
    this.#rng = rng;
  }

  /** The frames of `data`: one to three parts, cut at random offsets. */
  frames(data: string | Uint8Array): Buffer {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data);
    if (bytes.length === 0) return bytes;
    const cuts = new Set<number>();
    const wanted = Math.floor(this.#rng() * 3);
    for (let i = 0; i < wanted && bytes.length > 1; i++)
      cuts.add(1 + Math.floor(this.#rng() * (bytes.length - 1)));
    const offsets = [...cuts].sort((a, b) => a - b);
    const frames: Uint8Array[] = [];
    let start = 0;
    for (const offset of [...offsets, bytes.length]) {
      frames.push(payloadPartFrame(bytes.subarray(start, offset)));
      start = offset;
    }
    return Buffer.concat(frames);
  }
}

/** Headers of a 200 event-stream response. `containerType` is the content type the container answered with. */
export function streamHeaders(requestId: string, containerType: string): Record<string, string> {
  return {
    'content-type': EVENT_STREAM_CONTENT_TYPE,
    'x-amzn-requestid': requestId,
    'x-amzn-sagemaker-content-type': containerType,
    'x-amzn-invoked-production-variant': 'AllTraffic',
  };
}

/** A modelled or unmodelled AWS error before the stream: `x-amzn-ErrorType` names it, the JSON body holds its members. */
export function sendAwsError(
  res: ServerResponse,
  status: number,
  errorType: string,
  body: Readonly<Record<string, unknown>>,
  requestId: string,
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'x-amzn-errortype': errorType,
    'x-amzn-requestid': requestId,
  });
  res.end(text);
}

/** The body of a `ModelError`: the container answered `status` before streaming. */
export function modelErrorBody(
  status: number,
  containerMessage: string,
  endpointName: string,
): Record<string, unknown> {
  const logGroup = `/aws/sagemaker/Endpoints/${endpointName}`;
  return {
    ErrorCode: status < 500 ? 'CLIENT_ERROR_FROM_MODEL' : 'SERVER_ERROR_FROM_MODEL',
    LogStreamArn: `arn:aws:logs:us-east-1:123456789012:log-group:${logGroup}`,
    Message:
      `Received ${status < 500 ? 'client' : 'server'} error (${status}) from primary with message ` +
      `"${containerMessage}". See the ${logGroup} log group for more information.`,
    OriginalMessage: containerMessage,
    OriginalStatusCode: status,
  };
}
