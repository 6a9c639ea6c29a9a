/** Drives a stream reader (StreamBody) directly, without sockets: for property tests over byte splits. */
import type { ExchangeControl, StreamBody } from '../../src/providers/http-exchange.js';
import { CollectingRecorder } from './collecting-recorder.js';

/** An ExchangeControl that only records, as http-exchange.ts would (first terminal call wins). */
export class TestControl implements ExchangeControl {
  readonly recorder = new CollectingRecorder();
  settled = false;

  ended(at: number): void {
    if (this.settled) return;
    this.settled = true;
    this.recorder.ended(at);
  }

  failed(at: number, category: Parameters<ExchangeControl['failed']>[1], detail: string): void {
    if (this.settled) return;
    this.settled = true;
    this.recorder.failed(at, category, detail);
  }
}

/** Feed `bytes` to the reader `make` builds, cut at `offsets`, each piece stamped with its index; then end it. */
export function feed(
  make: (control: TestControl) => StreamBody,
  bytes: Uint8Array,
  offsets: readonly number[] = [],
): CollectingRecorder {
  const control = new TestControl();
  const body = make(control);
  const cuts = [...new Set(offsets)].filter((o) => o > 0 && o < bytes.length).sort((a, b) => a - b);
  let start = 0;
  cuts.forEach((cut, i) => {
    body.data(i, Buffer.from(bytes.subarray(start, cut)));
    start = cut;
  });
  body.data(cuts.length, Buffer.from(bytes.subarray(start)));
  body.end(cuts.length + 1);
  if (!control.settled) control.failed(cuts.length + 1, 'stream_cut', 'the reader did not settle');
  return control.recorder;
}
