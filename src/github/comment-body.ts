/**
 * Comment bodies that GitHub will accept: the hidden marker that makes a comment "sticky", and truncation to GitHub's
 * 65,536-character limit that keeps the marker, closes an open code fence or `<details>` block, and says it truncated.
 */

/** GitHub rejects issue comment bodies longer than this (422 "body is too long (maximum is 65536 characters)"). */
export const MAX_COMMENT_LENGTH = 65_536;

const MARKER_PREFIX = 'llm-perf-gate:sticky:';

/**
 * The hidden HTML comment that identifies this tool's comment on a pull request: `<!-- llm-perf-gate:sticky:ID -->`.
 * Use one id per gate when a repository runs several (e.g. the workflow and config name). Characters other than
 * letters, digits and `._:/@+-` become `_`, and runs of `-` are shortened, so the id can never end the HTML comment.
 */
export function stickyMarker(id = 'default'): string {
  const safe = id
    .trim()
    .replace(/[^A-Za-z0-9._:/@+-]+/g, '_')
    .replace(/-{2,}/g, '-');
  if (safe === '' || /^_+$/.test(safe)) {
    throw new Error(
      `sticky comment id "${id}" has no usable characters (use letters, digits, . _ : / @ + -)`,
    );
  }
  return `<!-- ${MARKER_PREFIX}${safe} -->`;
}

/** Whether `marker` is a hidden HTML comment, which is the only kind of marker that stays invisible. */
export function isHtmlCommentMarker(marker: string): boolean {
  return /^<!--[^\n]*-->$/.test(marker) && !marker.slice(4, -3).includes('--');
}

/** Options for {@link fitCommentBody}. */
export interface FitOptions {
  /** Maximum length in UTF-16 code units (never more than GitHub's limit). Default {@link MAX_COMMENT_LENGTH}. */
  readonly limit?: number;
  /** Appended after the cut; should say where the full report is. */
  readonly note?: string;
}

/** A body ready to send. */
export interface FittedBody {
  readonly body: string;
  readonly truncated: boolean;
  /** Length of the body as given. */
  readonly originalLength: number;
}

/**
 * Put `marker` first (removing any other copy of it) and truncate the result to the limit. JavaScript string length
 * counts UTF-16 code units, never fewer than the characters GitHub counts, so a body that fits here fits there.
 */
export function fitCommentBody(body: string, marker: string, options: FitOptions = {}): FittedBody {
  const limit = Math.min(options.limit ?? MAX_COMMENT_LENGTH, MAX_COMMENT_LENGTH);
  // Idempotent: a body that already starts with the marker line comes back unchanged.
  const full = `${marker}\n${body.split(marker).join('').replace(/^\n/, '')}`;
  if (full.length <= limit) return { body: full, truncated: false, originalLength: body.length };
  const note =
    options.note ??
    `The report was ${body.length.toLocaleString('en-US')} characters, more than a GitHub comment can hold ` +
      `(${MAX_COMMENT_LENGTH.toLocaleString('en-US')}); the rest is in the job summary.`;
  const footer = `\n\n> [!NOTE]\n> **Truncated.** ${note.replace(/\n/g, ' ')}\n`;
  const floor = marker.length + 1;
  if (floor + footer.length > limit) {
    throw new Error(
      `comment limit ${limit} cannot hold the marker and the truncation note (${floor + footer.length})`,
    );
  }
  // Leave room for the closers a cut may need (a code fence, some </details>); shrink further while they overflow.
  let kept = cutAtLineEnd(full, Math.max(floor, limit - footer.length - 16));
  for (;;) {
    const closers = closersFor(kept.slice(floor));
    const excess = kept.length + closers.length + footer.length - limit;
    if (excess <= 0) return { body: kept + closers + footer, truncated: true, originalLength: body.length };
    kept = cutAtLineEnd(kept, Math.max(floor, kept.length - excess));
  }
}

/** Cut to at most `length` units, preferring the last line end in the final quarter, never inside a surrogate pair. */
function cutAtLineEnd(text: string, length: number): string {
  if (length <= 0) return '';
  let end = Math.min(length, text.length);
  const newline = text.lastIndexOf('\n', end - 1);
  if (newline >= end * 0.75) end = newline;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return text.slice(0, end);
}

/** What must follow `text` to close a code fence and `<details>` blocks it left open. */
function closersFor(text: string): string {
  let closers = '';
  const fences = text.match(/^ {0,3}(`{3,}|~{3,})/gm) ?? [];
  if (fences.length % 2 === 1) closers += `\n${(fences[fences.length - 1] ?? '```').trim()}`;
  const opened = (text.match(/<details[\s>]/gi) ?? []).length;
  const closed = (text.match(/<\/details>/gi) ?? []).length;
  for (let index = closed; index < opened; index += 1) closers += '\n</details>';
  return closers;
}
