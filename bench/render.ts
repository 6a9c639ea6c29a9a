/** Plain-text rendering of the benchmark report: an environment header, one block per section, a target summary. */
import { markdownTable } from 'markdown-table';
import { formatNumber } from '../src/report/format.js';
import type { BenchEnvironment } from './environment.js';
import type { BenchSection, ReportTable, SectionReport, TargetCheck } from './section.js';

/** A titled table with aligned columns (GitHub markdown, readable as plain text). */
function renderTable(table: ReportTable): string {
  const align = table.align ?? table.head.map((_, i) => (i === 0 ? 'l' : 'r'));
  return `${table.title}\n\n${markdownTable([table.head, ...table.rows], { align })}`;
}

/** The report's header: what was measured on what. */
export function renderEnvironment(env: BenchEnvironment, reps: number, quick: boolean): string {
  return [
    `llm-perf-gate benchmark${quick ? ' (--quick)' : ''}: ${reps} repetition${reps === 1 ? '' : 's'} per figure, medians shown`,
    `node ${env.node} (V8 ${env.v8}) on ${env.platform}/${env.arch}, ${env.cpuModel}, ` +
      `${env.cores} cores, ${Math.round(env.totalMemoryBytes / 2 ** 30)} GiB memory, ` +
      `load average ${env.loadAverage.map((x) => x.toFixed(2)).join(' ')} at start`,
  ].join('\n');
}

/** One section: heading with its id and duration, summary, tables, notes and target verdicts. */
export function renderSection(section: BenchSection, report: SectionReport, seconds: number): string {
  const parts = [
    `## ${section.title} [${section.id}] (${seconds.toFixed(1)} s)`,
    section.summary,
    ...report.tables.map(renderTable),
    ...report.notes.map((note) => `Note: ${note}`),
  ];
  if (report.targets.length > 0) parts.push(report.targets.map(renderTarget).join('\n'));
  return parts.join('\n\n');
}

function renderTarget(t: TargetCheck): string {
  const verdict = t.met ? 'MET' : 'MISSED';
  return `Target ${verdict}: ${t.figure} = ${formatNumber(t.value)} ${t.unit} (target ${t.op} ${formatNumber(t.limit)} ${t.unit})`;
}

/** Every target of the run in one table. */
export function renderTargetSummary(targets: readonly TargetCheck[]): string {
  const rows = targets.map((t) => [
    t.figure,
    `${formatNumber(t.value)} ${t.unit}`,
    `${t.op} ${formatNumber(t.limit)} ${t.unit}`,
    t.met ? 'met' : 'MISSED',
  ]);
  return renderTable({
    title: '## Targets',
    head: ['figure', 'measured', 'target', ''],
    rows,
    align: ['l', 'r', 'r', 'l'],
  });
}
