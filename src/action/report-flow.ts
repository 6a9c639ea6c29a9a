/** Report mode (any event other than a pull request or a push to the default branch): measure and report only. */
import path from 'node:path';
import { readBaselineFile } from '../gate/baseline-disk.js';
import { compareWithBaseline } from '../gate/compare.js';
import { gateSettingsFrom } from '../gate/settings-from-config.js';
import { publishGateReport } from './publish.js';
import type { ActionOutcome, FlowContext } from './run-action.js';

export async function reportFlow(f: FlowContext): Promise<ActionOutcome> {
  const baseline = await readBaselineFile(path.resolve(f.workspace, f.inputs.baselinePath));
  const { result, outDir } = await f.run();
  const report = compareWithBaseline(result, baseline, gateSettingsFrom(f.config.gate));
  await publishGateReport(f, report, result, {
    notes: [
      'Report mode: compared with the checked-out baseline; nothing was written and the step does not fail.',
    ],
    comment: false,
    outDir,
  });
  return {};
}
