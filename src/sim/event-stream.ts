/**
 * AWS event-stream framing for the simulator's AWS faces (Bedrock, SageMaker), encoded with the same codec the AWS
 * SDK decodes with (@smithy/eventstream-codec): each frame is prelude, headers, payload and CRCs.
 */
import { EventStreamCodec } from '@smithy/eventstream-codec';

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const codec = new EventStreamCodec(
  (bytes: Uint8Array) => decoder.decode(bytes),
  (text: string) => encoder.encode(text),
);

/** Content type of an event-stream HTTP response. */
export const EVENT_STREAM_CONTENT_TYPE = 'application/vnd.amazon.eventstream';

/** One `event` frame: `eventType` names the union member (e.g. contentBlockDelta, chunk, PayloadPart). */
export function eventFrame(eventType: string, payload: unknown): Uint8Array {
  return codec.encode({
    headers: {
      ':message-type': { type: 'string', value: 'event' },
      ':event-type': { type: 'string', value: eventType },
      ':content-type': { type: 'string', value: 'application/json' },
    },
    body: encoder.encode(JSON.stringify(payload)),
  });
}

/** One `exception` frame carrying a modelled error in the stream (e.g. throttlingException, modelStreamErrorException). */
export function exceptionFrame(exceptionType: string, message: string): Uint8Array {
  return codec.encode({
    headers: {
      ':message-type': { type: 'string', value: 'exception' },
      ':exception-type': { type: 'string', value: exceptionType },
      ':content-type': { type: 'string', value: 'application/json' },
    },
    body: encoder.encode(JSON.stringify({ message })),
  });
}

/** Decode frames (for tests of the faces): every complete message in `bytes`. */
export function decodeFrames(bytes: Uint8Array): { headers: Record<string, unknown>; body: string }[] {
  const out: { headers: Record<string, unknown>; body: string }[] = [];
  let offset = 0;
  while (offset + 4 <= bytes.length) {
    const view = new DataView(bytes.buffer, bytes.byteOffset + offset);
    const length = view.getUint32(0);
    if (offset + length > bytes.length) break;
    const message = codec.decode(bytes.subarray(offset, offset + length));
    const headers = Object.fromEntries(Object.entries(message.headers).map(([k, v]) => [k, v.value]));
    out.push({ headers, body: decoder.decode(message.body) });
    offset += length;
  }
  return out;
}
