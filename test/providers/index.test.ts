import { afterEach, describe, expect, it } from 'vitest';
import { targetSchema } from '../../src/config/schema.js';
import { createProvider } from '../../src/providers/index.js';
import type { Provider } from '../../src/providers/types.js';
import { sleep, startServer, startSse, writePieces } from '../helpers/sse-server.js';
import type { TestServer } from '../helpers/sse-server.js';
import { CollectingRecorder } from './collecting-recorder.js';

let s: TestServer | undefined;
let p: Provider | undefined;
afterEach(async () => {
  await p?.close();
  await s?.close();
});

describe('createProvider', () => {
  it('creates the OpenAI provider with a pool sized to the scenario concurrency', async () => {
    s = await startServer(async (_req, res) => {
      startSse(res);
      await sleep(30);
      await writePieces(res, ['data: {"choices":[{"delta":{"content":"x"}}]}\n\n', 'data: [DONE]\n\n']);
      res.end();
    });
    const target = targetSchema.parse({ provider: 'openai', base_url: `${s.origin}/v1`, model: 'm' });
    p = createProvider(target, { clock: () => performance.now(), concurrency: 3 });
    expect(p.id).toBe('openai');
    const provider = p;
    const recorders = Array.from({ length: 9 }, () => new CollectingRecorder());
    await Promise.all(
      recorders.map((r, i) =>
        provider.send(
          {
            index: i,
            requestId: `r${i}`,
            prompt: 'p',
            inputTokens: 1,
            maxTokens: 1,
            forceOutputLength: false,
          },
          r,
          new AbortController().signal,
        ),
      ),
    );
    expect(recorders.every((r) => r.text() === 'x' && r.endedAt !== undefined)).toBe(true);
    expect(s.connections).toBe(3);
  });
});
