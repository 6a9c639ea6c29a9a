/**
 * Publishes a gate report from the action: the sticky PR comment, the job summary, annotations per failed or
 * inconclusive metric, and the outputs (verdict, comment-body-path, gated). Decides nothing.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as core from '@actions/core';
import { failsCheck, type GateReport } from '../gate/compare.js';
import { fitCommentBody, MAX_COMMENT_LENGTH, stickyMarker, upsertStickyComment } from '../github/index.js';
import { renderGateMarkdown } from '../report/gate-markdown.js';
import { gateJson } from '../report/gate-json.js';
import { label } from '../report/metric-label.js';
import type { RunResult } from '../results/schema.js';
import type { FlowContext } from './run-action.js';

export interface PublishOptions {
  readonly notes: readonly string[];
  /** Post or update the sticky comment (pull requests only). */
  readonly comment: boolean;
  readonly outDir: string;
  readonly commit?: string;
}

export async function publishGateReport(
  f: FlowContext,
  report: GateReport,
  result: RunResult,
  options: PublishOptions,
): Promise<void> {
  const notes = [...options.notes];
  const marker = stickyMarker(f.inputs.commentId);
  const render = (omitDetails: boolean): string =>
    renderGateMarkdown(report, result, {
      variant: 'comment',
      ...(f.ctx.runUrl ? { runUrl: f.ctx.runUrl } : {}),
      ...(options.commit ? { commit: options.commit } : {}),
      notes,
      omitDetails,
    });
  let rendered = render(false);
  if (rendered.length > MAX_COMMENT_LENGTH - marker.length - 1) rendered = render(true);
  const truncationNote = 'The report was cut to fit a comment; the job summary has all of it.';
  // The body exactly as posted: the marker first, cut to GitHub's limit if it still does not fit.
  const body = fitCommentBody(rendered, marker, { note: truncationNote }).body;
  const bodyPath = path.join(options.outDir, 'comment.md');
  await writeFile(bodyPath, body);
  core.setOutput('comment-body-path', bodyPath);

  if (options.comment && f.ctx.kind === 'pull_request' && f.inputs.comment !== 'never') {
    if (f.octokit === undefined) {
      notes.push('No github-token was given, so no pull request comment was written.');
    } else {
      const outcome = await upsertStickyComment({
        octokit: f.octokit,
        owner: f.ctx.owner,
        repo: f.ctx.repo,
        issueNumber: f.ctx.number,
        marker,
        body,
        createIfMissing: f.inputs.comment === 'always' || report.status !== 'pass',
        truncationNote,
      });
      if (outcome.action === 'skipped') {
        core.warning(outcome.reason, { title: 'llm-perf-gate could not comment' });
        notes.push(outcome.reason);
      } else if (outcome.action !== 'none') {
        core.info(`${outcome.action} the pull request comment: ${outcome.url}`);
      }
    }
  }

  for (const s of report.scenarios) {
    for (const v of s.verdict?.verdicts ?? []) {
      if (v.status === 'fail')
        core.error(`${s.name}: ${v.reason}`, { title: `llm-perf-gate: ${label(v)} regressed` });
      else if (v.status === 'warn')
        core.warning(`${s.name}: ${v.reason}`, { title: `llm-perf-gate: ${label(v)} inconclusive` });
    }
    if (s.kind !== 'compared' && s.status === 'warn' && s.message) core.warning(`${s.name}: ${s.message}`);
  }

  if (process.env.GITHUB_STEP_SUMMARY) {
    await core.summary
      .addRaw(
        renderGateMarkdown(report, result, {
          variant: 'summary',
          ...(f.ctx.runUrl ? { runUrl: f.ctx.runUrl } : {}),
          ...(options.commit ? { commit: options.commit } : {}),
          notes,
        }),
      )
      .write();
  }
  core.setOutput('verdict', report.status);
  core.setOutput('gated', JSON.stringify(gateJson(report)));
}

/** The message for setFailed, or undefined when the step passes under `fail-on`. Invalid runs never fail. */
export function failureOf(report: GateReport, failOn: FlowContext['inputs']['failOn']): string | undefined {
  if (!failsCheck(report, failOn)) return undefined;
  const what = report.scenarios
    .filter((s) => s.status !== 'pass')
    .map((s) => {
      const bad = (s.verdict?.verdicts ?? []).filter((v) => v.status !== 'pass').map((v) => label(v));
      return `${s.name}${bad.length > 0 ? ` (${bad.join(', ')})` : s.message ? ` (${s.message})` : ''}`;
    });
  return `llm-perf-gate: ${report.status === 'fail' ? 'performance regression' : 'inconclusive result'} in ${what.join('; ')}`;
}
