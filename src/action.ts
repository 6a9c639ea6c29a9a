/**
 * The GitHub Action's entry (bundled as dist/index.js, run on node24). The one place that calls core.setFailed.
 */
import * as core from '@actions/core';
import { runAction } from './action/run-action.js';

const controller = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    core.warning(`received ${signal}: stopping the run and keeping what finished`);
    controller.abort(new Error(signal));
  });
}

try {
  const outcome = await runAction(process.env, controller.signal);
  if (outcome.failure !== undefined) core.setFailed(outcome.failure);
} catch (err) {
  core.setFailed(err instanceof Error ? err.message : String(err));
}
