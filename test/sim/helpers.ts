/**
 * Test helpers: plain fetch against the simulator on loopback, with a minimal SSE reader.
 */
import type { SimHandle } from '../../src/sim/server.js';

/** One streamed response as the client saw it. */
export interface StreamResult {
  readonly status: number;
  readonly headers: Headers;
  /** The data of every SSE event, in order ("[DONE]" included). */
  readonly events: string[];
  /** performance.now() when each event was read. */
  readonly eventMs: number[];
  /** Set when the body stream broke (e.g. the server destroyed the socket). */
  readonly readError: Error | undefined;
  /** The body when the response was not an event stream. */
  readonly body: string;
}

/** POST a JSON body to `url + path` and read the response completely. */
export async function post(
  sim: Pick<SimHandle, 'url'>,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<StreamResult> {
  const response = await fetch(sim.url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const events: string[] = [];
  const eventMs: number[] = [];
  let text = '';
  let readError: Error | undefined;
  const decoder = new TextDecoder();
  const isStream = (response.headers.get('content-type') ?? '').startsWith('text/event-stream');
  try {
    for await (const piece of response.body ?? []) {
      text += decoder.decode(piece as Uint8Array, { stream: true });
      if (!isStream) continue;
      let cut: number;
      while ((cut = text.indexOf('\n\n')) >= 0) {
        const block = text.slice(0, cut);
        text = text.slice(cut + 2);
        const data = block
          .split('\n')
          .filter((line) => line.startsWith('data: '))
          .map((line) => line.slice(6))
          .join('\n');
        events.push(data);
        eventMs.push(performance.now());
      }
    }
  } catch (error) {
    readError = error as Error;
  }
  return { status: response.status, headers: response.headers, events, eventMs, readError, body: text };
}

/** A chat request body. */
export function chat(
  prompt: string,
  maxTokens: number,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    model: 'sim',
    messages: [{ role: 'user', content: prompt }],
    max_tokens: maxTokens,
    stream: true,
    ...extra,
  };
}

/** A parsed chat/completion chunk (loosely typed: tests assert on the shape). */
export interface Chunk {
  id: string;
  object: string;
  created: number;
  model: string;
  choices: {
    index: number;
    delta?: { role?: string; content?: string; reasoning_content?: string };
    text?: string;
    logprobs: null;
    finish_reason: string | null;
    stop_reason?: null;
  }[];
  usage?: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
  error?: { message: string; type: string; code: number };
}

/** Parse every event except [DONE]; throws on a malformed one. */
export function chunksOf(result: StreamResult): Chunk[] {
  return result.events.filter((data) => data !== '[DONE]').map((data) => JSON.parse(data) as Chunk);
}

/** Text of the content (and reasoning) deltas of parsed chunks. */
export function streamedText(
  chunks: readonly Chunk[],
  field: 'content' | 'reasoning_content' | 'text',
): string {
  return chunks
    .map((chunk) => {
      const choice = chunk.choices[0];
      return (field === 'text' ? choice?.text : choice?.delta?.[field]) ?? '';
    })
    .join('');
}

/** The median of a non-empty list. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
