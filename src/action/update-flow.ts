/**
 * Update mode (a push to the default branch, i.e. a merge): measure, gate the run against the current baseline, and
 * append it to the history unless it regressed and the merged pull request lacks the accept label. The write is a
 * compare-and-swap on the file's blob sha (or a bot pull request, or a dedicated branch), so merges landing together
 * lose no run.
 */
import * as core from '@actions/core';
import { appendRun, emptyBaseline, formatBaseline, parseBaseline } from '../gate/baseline-file.js';
import type { AcceptedBy } from '../gate/baseline-file.js';
import { compareWithBaseline } from '../gate/compare.js';
import { gateSettingsFrom } from '../gate/settings-from-config.js';
import {
  mergedPullRequest,
  pullRequestsForCommit,
  readRepoFile,
  updateRepoFile,
  type GitHubClient,
  type PushRunContext,
} from '../github/index.js';
import { publishGateReport } from './publish.js';
import type { ActionOutcome, FlowContext } from './run-action.js';

export async function updateFlow(f: FlowContext): Promise<ActionOutcome> {
  const { ctx, octokit, inputs } = f;
  if (ctx.kind !== 'push' || ctx.branch === undefined) {
    return { failure: `mode update runs on a push to a branch; this run is a ${ctx.eventName} event` };
  }
  if (octokit === undefined) return { failure: 'mode update needs a github-token with contents: write' };
  const where = { octokit, owner: ctx.owner, repo: ctx.repo };
  const current = await readRepoFile({ ...where, path: inputs.baselinePath, ref: ctx.branch });
  const baseline = current === undefined ? undefined : parseBaseline(current.text, inputs.baselinePath);

  const { result, outDir } = await f.run();
  const report = compareWithBaseline(result, baseline, gateSettingsFrom(f.config.gate));
  const notes: string[] = [];

  if (result.status !== 'complete') {
    await publishGateReport(f, report, result, { notes, comment: false, outDir, commit: ctx.sha });
    return { failure: `llm-perf-gate: the baseline was not updated: the run's status is ${result.status}` };
  }

  let acceptedBy: AcceptedBy = 'gate-pass';
  if (report.status === 'fail') {
    const label = f.config.gate.accept_label;
    const pr = await mergedPullRequestOf(octokit, ctx);
    if (pr === undefined || !pr.labels.includes(label)) {
      notes.push(
        `This merge is slower than the baseline (see below), so it was not added to the baseline. If the regression ` +
          `is intended, add the label \`${label}\` to ${pr ? `#${pr.number}` : 'the merged pull request'} and re-run ` +
          'this workflow, or re-record the baseline with `llm-perf-gate calibrate`.',
      );
      await publishGateReport(f, report, result, { notes, comment: false, outDir, commit: ctx.sha });
      core.setOutput('baseline-updated', 'false');
      return {
        failure: `llm-perf-gate: not recorded in the baseline: this merge regressed (accept it with the label ${label})`,
      };
    }
    acceptedBy = 'accept-label';
    notes.push(`The regression was accepted with the label \`${label}\` on #${pr.number}.`);
  }

  // One id per workflow run: a re-run attempt (after adding the accept label) or a CAS retry records it once.
  const runId = process.env.GITHUB_RUN_ID ? `run-${process.env.GITHUB_RUN_ID}` : `commit-${ctx.sha}`;
  let appendNotes: string[] = [];
  const written = await updateRepoFile({
    ...where,
    path: inputs.baselinePath,
    branch: ctx.branch,
    message: `llm-perf-gate: record the performance of ${ctx.sha.slice(0, 7)} in the baseline`,
    strategy: inputs.updateStrategy,
    mutate: (text) => {
      const outcome = appendRun(
        text === undefined ? emptyBaseline() : parseBaseline(text, inputs.baselinePath),
        result,
        {
          id: runId,
          commit: ctx.sha,
          recordedAt: result.finishedAt,
          acceptedBy,
          history: f.config.gate.history,
          ...(process.env.RUNNER_NAME ? { runner: process.env.RUNNER_NAME } : {}),
        },
      );
      appendNotes = outcome.notes;
      return formatBaseline(outcome.baseline);
    },
  });
  for (const note of appendNotes) core.info(note);
  notes.push(
    written.changed
      ? `Recorded in ${inputs.baselinePath} (${written.pullRequest ? `pull request ${written.pullRequest.url}` : `branch ${written.branch}`}` +
          `${written.attempts > 1 ? `, after ${written.attempts} attempts` : ''}).`
      : `${inputs.baselinePath} already holds this run.`,
  );
  await publishGateReport(f, report, result, { notes, comment: false, outDir, commit: ctx.sha });
  core.setOutput('baseline-updated', String(written.changed));
  return {};
}

async function mergedPullRequestOf(octokit: GitHubClient, ctx: PushRunContext) {
  const prs = await pullRequestsForCommit({ octokit, owner: ctx.owner, repo: ctx.repo, sha: ctx.sha });
  return mergedPullRequest(prs, { sha: ctx.sha, branch: ctx.branch ?? ctx.defaultBranch });
}
