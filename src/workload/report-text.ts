/**
 * The text form of a run report: small aligned tables a person reads top to bottom
 * (what faulted at which size, why 2 MiB faults fell back, what the trees and page tables
 * hold at the end, how each mapping is mapped, how each task ended, and anything that went
 * wrong). "expectations: all met" appears only when the scenario states expectations.
 *
 * Invariant: a pure function of the Report (plus the measured duration, passed in).
 */
import { wrapWords } from '../lib/wrap.js';
import type { Report } from './report.js';
import { formatBytes, formatMappings, reasonLabel } from './report-text-mappings.js';

function table(title: string, rows: [string, string | number][]): string {
  const w = Math.max(...rows.map(([k]) => k.length), 8);
  const body = rows.map(([k, v]) => `  ${k.padEnd(w)}  ${String(v).padStart(10)}`).join('\n');
  return `${title}\n${body}`;
}

/** The report as text. `elapsedMs` is the host time the run took (not part of the model). */
export function formatReport(r: Report, elapsedMs?: number): string {
  const out: string[] = [];
  out.push(
    `scenario ${r.scenario} (profile ${r.profile}, seed ${r.seed}${r.mutations.length ? `, mutations: ${r.mutations.join(', ')}` : ''})`,
  );
  if (r.description)
    out.push(...wrapWords(r.description.trim().replace(/\s+/g, ' '), 92).map((l) => `  ${l}`));
  out.push('');
  out.push(
    table('faults', [
      ['pmd (2 MiB)', r.faults.pmd],
      ['pte (4 KiB)', r.faults.pte],
      ['fallback', r.faults.fallback],
      ['major', r.faults.major],
      ['cow', r.faults.cow],
      ['pfn_mkwrite', r.faults.mkwrite],
      ['SIGBUS', r.faults.sigbus],
    ]),
  );
  const reasons = Object.entries(r.faults.fallbackReasons);
  if (reasons.length > 0) {
    out.push('');
    out.push(
      table(
        'fallbacks by reason',
        reasons.map(([k, v]) => [reasonLabel(k), v] as [string, number]),
      ),
    );
  }
  out.push('');
  out.push(
    table('entries at the end', [
      ['pte', r.entries.pte],
      ['pmd', r.entries.pmd],
      ['zero (HZP)', r.entries.zero],
      ['empty', r.entries.empty],
      ['hole pages', r.entries.holePages],
    ]),
  );
  out.push('');
  out.push(
    table('page tables at the end', [
      ['huge PMDs', r.pageTables.hugePmds],
      ['PTEs', r.pageTables.ptes],
      ['PTE tables', r.pageTables.pteTables],
    ]),
  );
  const mappings = formatMappings(r.mappings);
  if (mappings.length > 0) out.push('', ...mappings);
  out.push('');
  const mem: [string, string | number][] = [
    ['fs blocks allocated', formatBytes(r.memory.fsBlocksBytes)],
    ['device data held (host)', formatBytes(r.memory.deviceBytes)],
    ['RAM pages', r.memory.ramPages],
    ['page tables (host)', formatBytes(r.memory.pageTableBytes)],
    ['tree nodes', r.memory.treeNodes],
  ];
  out.push(table('memory', mem));
  out.push('');
  out.push(table('tasks', Object.entries(r.tasks)));
  out.push('');
  const run: [string, string | number][] = [['steps', r.steps]];
  if (elapsedMs !== undefined) run.push(['elapsed', `${elapsedMs.toFixed(0)} ms`]);
  if (r.crashed) run.push(['crash', 'yes']);
  out.push(table('run', run));
  out.push('');
  if (r.violations.length === 0) out.push('invariants: all hold (V1-V7)');
  else {
    out.push(`invariant violations: ${r.violations.length}`);
    for (const v of r.violations) out.push(`  ${v.invariant}: ${v.message.split('\n').join('\n      ')}`);
  }
  if (r.expectFailures.length > 0) {
    out.push(`expect failures: ${r.expectFailures.length}`);
    for (const f of r.expectFailures) out.push(`  ${f.what}: expected ${f.expected}, found ${f.found}`);
  } else if (r.violations.length === 0 && r.expectations > 0) {
    out.push(`expectations: all ${r.expectations} met`);
  }
  return `${out.join('\n')}\n`;
}
