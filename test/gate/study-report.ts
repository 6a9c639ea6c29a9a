/** Shared by the simulation-study tests: the number of pairs, a timed run, and the printed summary of the rates. */
import { runStudy, type StudyOptions, type StudyResult } from '../../src/gate/stats/study.js';

/** History/current pairs per configuration (LPG_STUDY_PAIRS; at least 500 for the asserted rates by default). */
export const PAIRS = Number(process.env.LPG_STUDY_PAIRS ?? 500);

function percent(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}

/** Runs the study with `options` and prints its rates (A/A per metric, FAIL/WARN per regression) and its runtime. */
export function studyAndReport(name: string, options: Partial<StudyOptions>): StudyResult {
  const start = performance.now();
  const result = runStudy({ pairs: PAIRS, ...options });
  const seconds = (performance.now() - start) / 1000;
  const { options: used, aa, aaByMetric, power } = result;
  const metrics = used.settings.metrics
    .map((m, i) => {
      const name = m.kind === 'request' ? `${m.metric} ${m.statistic}` : m.metric;
      return `${name} ${percent(aaByMetric[i]?.fail ?? NaN)}/${percent(aaByMetric[i]?.warn ?? NaN)}`;
    })
    .join(', ');
  console.log(
    [
      `gate study "${name}": ${used.pairs} pairs, ${used.requests} requests/run, ${used.historyRuns}-run history, ` +
        `drift ${percent(used.drift)}, TTFT sigma ${used.ttftSigma} (${seconds.toFixed(1)} s)`,
      `  A/A: FAIL ${percent(aa.fail)}, WARN ${percent(aa.warn)}  (per metric FAIL/WARN: ${metrics})`,
      ...power.map(
        (p) =>
          `  TTFT +${(100 * p.shift).toFixed(0)}%: FAIL ${percent(p.fail)} (p50 TTFT verdict ${percent(p.headlineFail)}), WARN ${percent(p.warn)}`,
      ),
    ].join('\n'),
  );
  return result;
}
