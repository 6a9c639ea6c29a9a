import { expect, it } from 'vitest';
import { decodeFrames, eventFrame, exceptionFrame } from '../../src/sim/event-stream.js';
it('encodes event and exception frames the AWS codec decodes back', () => {
  const a = eventFrame('contentBlockDelta', { delta: { text: 'hi' } });
  const b = exceptionFrame('throttlingException', 'slow down');
  const both = new Uint8Array([...a, ...b]);
  expect(decodeFrames(both)).toEqual([
    {
      headers: {
        ':message-type': 'event',
        ':event-type': 'contentBlockDelta',
        ':content-type': 'application/json',
      },
      body: '{"delta":{"text":"hi"}}',
    },
    {
      headers: {
        ':message-type': 'exception',
        ':exception-type': 'throttlingException',
        ':content-type': 'application/json',
      },
      body: '{"message":"slow down"}',
    },
  ]);
});
