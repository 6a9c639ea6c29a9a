/** A StreamRecorder for tests: keeps every call, in order. */
import { expect } from 'vitest';
import type {
  ContentKind,
  ErrorCategory,
  Provider,
  ProviderRequest,
  StreamRecorder,
} from '../../src/providers/types.js';

export interface ContentCall {
  readonly at: number;
  readonly kind: ContentKind;
  readonly text: string;
  readonly tokens: number | undefined;
}

export interface FailedCall {
  readonly at: number;
  readonly category: ErrorCategory;
  readonly detail: string;
  readonly status: number | undefined;
}

export class CollectingRecorder implements StreamRecorder {
  readonly calls: string[] = [];
  readonly connectMs: number[] = [];
  readonly contents: ContentCall[] = [];
  readonly usages: [number | undefined, number | undefined][] = [];
  status: number | undefined;
  responseAt: number | undefined;
  endedAt: number | undefined;
  failure: FailedCall | undefined;
  /** Calls of ended + failed (must end up exactly 1). */
  terminalCalls = 0;

  connected(connectMs: number): void {
    this.calls.push('connected');
    this.connectMs.push(connectMs);
  }
  responseStarted(at: number, status: number): void {
    this.calls.push('responseStarted');
    this.responseAt = at;
    this.status = status;
  }
  content(at: number, kind: ContentKind, text: string, tokens?: number): void {
    this.calls.push('content');
    this.contents.push({ at, kind, text, tokens });
  }
  usage(promptTokens: number | undefined, completionTokens: number | undefined): void {
    this.calls.push('usage');
    this.usages.push([promptTokens, completionTokens]);
  }
  serverLatency(): void {
    this.calls.push('serverLatency');
  }
  ended(at: number): void {
    this.calls.push('ended');
    this.endedAt = at;
    this.terminalCalls++;
  }
  failed(at: number, category: ErrorCategory, detail: string, status?: number): void {
    this.calls.push('failed');
    this.failure = { at, category, detail, status };
    this.terminalCalls++;
  }

  /** All text of one kind, concatenated. */
  text(kind: ContentKind = 'text'): string {
    return this.contents
      .filter((c) => c.kind === kind)
      .map((c) => c.text)
      .join('');
  }
}

/**
 * Sends one request through `provider` into a fresh recorder, checking the provider's contract: exactly one terminal
 * call (ended or failed), and it is the last call.
 */
export async function sendAndCollect(
  provider: Provider,
  request: ProviderRequest,
  signal: AbortSignal,
): Promise<CollectingRecorder> {
  const recorder = new CollectingRecorder();
  await provider.send(request, recorder, signal);
  expect(recorder.terminalCalls).toBe(1);
  expect(recorder.calls.at(-1)).toMatch(/^(ended|failed)$/);
  return recorder;
}
