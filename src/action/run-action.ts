/**
 * The action's main flow. Reads inputs and the run context, picks the mode, runs the profile through the same
 * functions as the CLI, and hands the outcome back to src/action.ts — the one place that calls setFailed.
 *
 * - gate (pull_request): the gate settings and the baseline come from the PR's BASE branch through the API, so a PR
 *   cannot loosen its own gate or edit its own baseline; one sticky comment; the step fails per fail-on.
 * - update (push to the default branch): gate the merged run against the baseline; append it unless it regressed and
 *   the merged PR lacks the accept label; write with compare-and-swap (or a PR / a branch).
 * - report (anything else): run and report; nothing is written and nothing fails.
 */
import path from 'node:path';
import * as core from '@actions/core';
import { loadConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { executeRun } from '../cli/execute-run.js';
import { processIO } from '../cli/io.js';
import { createGitHubClient, loadRunContext, type GitHubClient, type RunContext } from '../github/index.js';
import { readInputs, type ActionInputs, type Mode } from './inputs.js';
import { gateFlow } from './gate-flow.js';
import { updateFlow } from './update-flow.js';
import { reportFlow } from './report-flow.js';
import type { RunResult } from '../results/schema.js';

export interface ActionOutcome {
  /** Set when the step must fail, with the message for setFailed. */
  readonly failure?: string;
}

/** What every flow gets. */
export interface FlowContext {
  readonly inputs: ActionInputs;
  readonly ctx: RunContext;
  readonly config: Config;
  /** The config file's path relative to the repository root (for reading it at another ref). */
  readonly configRepoPath: string;
  readonly workspace: string;
  readonly octokit: GitHubClient | undefined;
  readonly signal: AbortSignal;
  /** Runs the profile (the CLI's run path), writing results under inputs.resultsDir. */
  readonly run: () => Promise<{ result: RunResult; resultsPath: string; outDir: string }>;
}

export function resolveMode(mode: Mode, ctx: RunContext): Exclude<Mode, 'auto'> {
  if (mode !== 'auto') return mode;
  if (ctx.kind === 'pull_request') return 'gate';
  if (ctx.kind === 'push' && ctx.isDefaultBranch) return 'update';
  return 'report';
}

export async function runAction(env: NodeJS.ProcessEnv, signal: AbortSignal): Promise<ActionOutcome> {
  const inputs = readInputs((name) => core.getInput(name));
  if (inputs.githubToken) core.setSecret(inputs.githubToken);
  const ctx = await loadRunContext(env);
  const mode = resolveMode(inputs.mode, ctx);
  const workspace = env.GITHUB_WORKSPACE ?? process.cwd();
  const configAbs = path.resolve(workspace, inputs.config);
  const configRepoPath = path.relative(workspace, configAbs).split(path.sep).join('/');
  const loaded = await loadConfig(configAbs, env);
  for (const secret of loaded.secrets) core.setSecret(secret);
  const octokit = inputs.githubToken
    ? createGitHubClient({ token: inputs.githubToken, apiUrl: ctx.apiUrl })
    : undefined;
  core.info(
    `llm-perf-gate: mode ${mode} (${inputs.mode === 'auto' ? `auto, event ${ctx.eventName}` : 'from input'})`,
  );

  const io = processIO(signal);
  io.addSecrets([...loaded.secrets, ...(inputs.githubToken ? [inputs.githubToken] : [])]);
  const outDir = path.resolve(workspace, inputs.resultsDir);
  const flow: FlowContext = {
    inputs,
    ctx,
    config: loaded.config,
    configRepoPath,
    workspace,
    octokit,
    signal,
    run: async () => {
      const outcome = await executeRun(io, {
        config: loaded.config,
        secrets: loaded.secrets,
        outDir,
        ...(inputs.scenarios.length > 0 ? { only: inputs.scenarios } : {}),
      });
      core.setOutput('results-path', outcome.resultsPath);
      return { result: outcome.result, resultsPath: outcome.resultsPath, outDir };
    },
  };
  if (mode === 'gate') return gateFlow(flow);
  if (mode === 'update') return updateFlow(flow);
  return reportFlow(flow);
}
