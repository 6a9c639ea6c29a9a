/** Gate mode: a pull request is measured and compared with the baseline of its base branch. */
import path from 'node:path';
import * as core from '@actions/core';
import { parseGateSection } from '../config/load.js';
import { gateSchema, type GateConfig } from '../config/schema.js';
import { readBaselineFile } from '../gate/baseline-disk.js';
import { parseBaseline, type BaselineFile } from '../gate/baseline-file.js';
import { compareWithBaseline } from '../gate/compare.js';
import { gateSettingsFrom } from '../gate/settings-from-config.js';
import { readRepoFile } from '../github/index.js';
import { failureOf, publishGateReport } from './publish.js';
import type { ActionOutcome, FlowContext } from './run-action.js';

interface GateInputs {
  readonly gate: GateConfig;
  readonly baseline: BaselineFile | undefined;
  readonly notes: string[];
}

/** The gate settings and the baseline as the base branch has them (a PR cannot change its own). */
async function fromBaseBranch(f: FlowContext): Promise<GateInputs> {
  const notes: string[] = [];
  const { ctx, octokit, inputs } = f;
  if (ctx.kind !== 'pull_request' || octokit === undefined) {
    notes.push(
      ctx.kind === 'pull_request'
        ? 'No github-token: the gate settings and the baseline were read from the checked-out files.'
        : 'Not a pull request: the gate settings and the baseline were read from the checked-out files.',
    );
    const file = path.resolve(f.workspace, inputs.baselinePath);
    return { gate: f.config.gate, baseline: await readBaselineFile(file), notes };
  }
  const where = { octokit, owner: ctx.owner, repo: ctx.repo, ref: ctx.baseSha };
  const configFile = await readRepoFile({ ...where, path: f.configRepoPath });
  let gate: GateConfig;
  if (configFile === undefined) {
    gate = gateSchema.parse({});
    notes.push(
      `The base branch (${ctx.baseRef}) has no ${f.configRepoPath}: the default gate settings apply.`,
    );
  } else {
    gate = parseGateSection(configFile.text, `${f.configRepoPath} on ${ctx.baseRef}`);
    if (JSON.stringify(gate) !== JSON.stringify(f.config.gate)) {
      notes.push(
        `This pull request changes the gate settings; the base branch's settings apply until it is merged.`,
      );
    }
  }
  const baselineFile = await readRepoFile({ ...where, path: inputs.baselinePath });
  const baseline =
    baselineFile === undefined
      ? undefined
      : parseBaseline(baselineFile.text, `${inputs.baselinePath} on ${ctx.baseRef}`);
  core.info(
    `gate settings and baseline read from ${ctx.baseRef} (${ctx.baseSha.slice(0, 7)})` +
      (baseline === undefined ? '; no baseline file there yet' : ''),
  );
  return { gate, baseline, notes };
}

export async function gateFlow(f: FlowContext): Promise<ActionOutcome> {
  const { gate, baseline, notes } = await fromBaseBranch(f);
  const settings = gateSettingsFrom(gate);
  const { result, outDir } = await f.run();
  const report = compareWithBaseline(result, baseline, settings);
  const commit = f.ctx.kind === 'pull_request' ? f.ctx.headSha : undefined;
  await publishGateReport(f, report, result, { notes, comment: true, outDir, ...(commit ? { commit } : {}) });
  const failure = failureOf(report, f.inputs.failOn);
  return failure === undefined ? {} : { failure };
}
