/**
 * Stamp early, parse later. When many streams are in flight, one engine step of the server makes dozens of sockets
 * readable at once, and the event loop's poll phase delivers their reads back to back. If each read were parsed
 * (SSE, JSON, recorder) in its own callback, the last stream of the burst would be stamped only after every other
 * stream's parsing: a client-side delay that grows with concurrency and lands on the streams that read last.
 *
 * So a read callback only takes the clock and copies the bytes here; the queue is processed once per event-loop
 * turn, in a single setImmediate shared by every request, in arrival order. Every read of a burst is stamped before
 * any of them is parsed.
 */

/** Processes the reads queued for one request. */
export interface QueuedReader {
  /**
   * One queued item, in the order it was queued: a body chunk stamped `at`, or `null` for the terminal marker a
   * reader queues behind its data when the response ends or fails (the reader keeps what the ending was).
   * Must not throw: the queue is shared by every request.
   */
  readQueued(at: number, chunk: Buffer | null): void;
}

const readers: (QueuedReader | null)[] = [];
const stamps: number[] = [];
const chunks: (Buffer | null)[] = [];
let queued = 0;
let scheduled = false;

/**
 * Queue `chunk` (or the terminal marker, `null`) for `reader`, stamped `at`; it is processed on the check phase of
 * this event-loop turn, after every read of the poll phase. `chunk` must be the caller's own copy: undici reuses the
 * memory behind the chunks it hands out.
 */
export function enqueueRead(reader: QueuedReader, at: number, chunk: Buffer | null): void {
  readers[queued] = reader;
  stamps[queued] = at;
  chunks[queued] = chunk;
  queued++;
  if (!scheduled) {
    scheduled = true;
    setImmediate(drain);
  }
}

/** Process everything queued, including what processing queues (e.g. bytes undici parses while resuming). */
function drain(): void {
  for (let i = 0; i < queued; i++) {
    const reader = readers[i]!;
    const chunk = chunks[i] ?? null;
    readers[i] = null;
    chunks[i] = null;
    reader.readQueued(stamps[i]!, chunk);
  }
  queued = 0;
  scheduled = false;
}
