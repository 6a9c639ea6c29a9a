/**
 * Micro-benchmark of the client's per-chunk hot path: SSE parsing alone, and SSE parsing + JSON.parse + the
 * OpenAI stream logic (what `onResponseData` runs for every body chunk), on a typical vLLM chat chunk.
 *
 * `npm run bench` prints these figures in its chunk-rate section, beside the end-to-end client rate.
 */
import type { ExchangeControl } from '../src/providers/http-exchange.js';
import { createOpenAIStreamBody } from '../src/providers/openai-stream.js';
import { SseParser } from '../src/providers/sse.js';
import type { StreamRecorder } from '../src/providers/types.js';

/** A typical vLLM chat completion chunk (one generated token), as framed on the wire. */
export const VLLM_CHAT_CHUNK =
  'data: {"id":"chatcmpl-5f0c0a8d7c2b4e6f9a1b3c5d7e9f1a2b","object":"chat.completion.chunk","created":1732240000,' +
  '"model":"meta-llama/Llama-3.1-8B-Instruct","choices":[{"index":0,"delta":{"content":" word"},"logprobs":null,' +
  '"finish_reason":null}]}\n\n';

export interface BenchCase {
  /** What was measured. */
  readonly name: string;
  /** SSE events processed. */
  readonly chunks: number;
  readonly seconds: number;
  readonly chunksPerSecond: number;
}

export interface BenchOptions {
  /** Events per case (default 500 000). */
  readonly chunks?: number;
}

/** How the byte stream is cut into the pieces handed to the parser. */
type Framing = 'one event per read' | '16 events per read' | 'each event split in 3 reads';

/**
 * Measure chunks/s for the parser alone and for the full per-chunk provider path, under three framings of the byte
 * stream. Each case runs once untimed (warm-up) and once timed.
 */
export function benchParse(options: BenchOptions = {}): BenchCase[] {
  const chunks = options.chunks ?? 500_000;
  const cases: BenchCase[] = [];
  const framings: Framing[] = ['one event per read', '16 events per read', 'each event split in 3 reads'];
  for (const framing of framings) {
    const reads = frame(framing);
    const perRound = framing === '16 events per read' ? 16 : 1;
    const rounds = Math.ceil(chunks / perRound);
    for (const stage of ['SSE parse', 'SSE parse + JSON.parse + OpenAI stream logic'] as const) {
      const run = stage === 'SSE parse' ? parseOnly : fullPath;
      run(reads, Math.min(rounds, 20_000));
      const start = process.hrtime.bigint();
      const seen = run(reads, rounds);
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      cases.push({ name: `${stage}, ${framing}`, chunks: seen, seconds, chunksPerSecond: seen / seconds });
    }
  }
  return cases;
}

function frame(framing: Framing): Buffer[] {
  const one = Buffer.from(VLLM_CHAT_CHUNK);
  if (framing === 'one event per read') return [one];
  if (framing === '16 events per read') return [Buffer.concat(Array.from({ length: 16 }, () => one))];
  const a = Math.floor(one.length / 3);
  return [one.subarray(0, a), one.subarray(a, 2 * a), one.subarray(2 * a)];
}

/** Parse `rounds` repetitions of `reads`; returns the number of events seen. */
function parseOnly(reads: readonly Buffer[], rounds: number): number {
  let events = 0;
  const parser = new SseParser(() => {
    events++;
  });
  for (let r = 0; r < rounds; r++) for (const read of reads) parser.push(read);
  parser.end();
  return events;
}

/** The provider's per-chunk path: stamp, SSE parse, JSON.parse, interpretation, recorder call. */
function fullPath(reads: readonly Buffer[], rounds: number): number {
  let contents = 0;
  const recorder: StreamRecorder = {
    connected() {},
    responseStarted() {},
    content() {
      contents++;
    },
    usage() {},
    serverLatency() {},
    ended() {},
    failed(_at, category, detail) {
      throw new Error(`benchmark stream failed: ${category}: ${detail}`);
    },
  };
  const control: ExchangeControl = { recorder, settled: false, ended() {}, failed: recorder.failed };
  const body = createOpenAIStreamBody('chat', control);
  for (let r = 0; r < rounds; r++) for (const read of reads) body.data(performance.now(), read);
  return contents;
}
