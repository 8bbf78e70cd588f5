/**
 * S5 per profile: --ftrace holds the fs_dax tracepoints the profile's kernel had (none before
 * v4.11, the PMD set in 4.11, the 4 KiB, mkwrite, insert and writeback events from 4.12), printed
 * with that kernel's TP_printk, and daxsim's own events only with `extra`.
 */
import { describe, expect, it } from 'vitest';
import { toFtrace } from '../../src/dax/ftrace.js';
import { FS_DAX_EVENTS } from '../../src/dax/ftrace-formats.js';
import { PROFILE_NAMES, type ProfileName } from '../../src/version/profiles.js';
import { runYaml } from '../helpers/scenario.js';
import { YAML_P_WHOLE, yamlProc, yamlScenario } from '../helpers/scenario-yaml.js';

/** PMD faults through p, 4 KiB faults through q (1 MiB: too small for a PMD), a store, an fsync. */
const MIXED = yamlScenario(
  'size: 4MiB, layout: allocated',
  [YAML_P_WHOLE, yamlProc('q', 's', '0', '1MiB', ', address: "0x7f0000200000"')],
  `
tasks:
  - { name: a, ops: [{ read: { map: m, offset: 2MiB, length: 8 } }] }
  - { name: b, process: q, ops: [{ write: { map: s, offset: 0x1000, data: "x" } }, { fsync: { file: data } }] }
`,
);

function ftraceOf(profile: ProfileName, extra = false): string {
  const { result } = runYaml(MIXED, { profile, trace: true });
  return toFtrace(result.world.rt.trace, result.world.rt.tasks, { profile, extra });
}

/** The event names of the trace lines (comments skipped). */
function events(text: string): Set<string> {
  const names = new Set<string>();
  for (const line of text.split('\n')) {
    const m = /^ *\S+-\d+ +\[000\] \.\.\.\. +\d+\.\d{6}: (\w+): /.exec(line);
    if (m) names.add(m[1]!);
  }
  return names;
}

describe('S5: --ftrace follows the profile kernel (kernel-versions.md §4)', () => {
  it.each(PROFILE_NAMES)('%s: only events that kernel had', (profile) => {
    const names = events(ftraceOf(profile));
    for (const n of names) expect(FS_DAX_EVENTS[profile].has(n), n).toBe(true);
  });

  it.each(['seed', '4.10'] as const)('%s: no fs_dax tracepoints, and the header says so', (profile) => {
    const text = ftraceOf(profile);
    expect(events(text).size).toBe(0);
    expect(text).toContain(`# daxsim profile ${profile}: the ${profile} kernel had no fs_dax tracepoints`);
  });

  it('4.11: the PMD events only', () => {
    const names = events(ftraceOf('4.11'));
    expect(names.has('dax_pmd_fault')).toBe(true);
    expect(names.has('dax_pmd_insert_mapping')).toBe(true);
    expect(names.has('dax_pte_fault')).toBe(false);
    expect(names.has('dax_writeback_range')).toBe(false);
  });

  it('4.12: the 4 KiB, insert and writeback events too; max_pgoff is the last page (pmd-eof-arith=last)', () => {
    const text = ftraceOf('4.12');
    const names = events(text);
    for (const n of [
      'dax_pte_fault',
      'dax_pte_fault_done',
      'dax_insert_mapping',
      'dax_writeback_range',
      'dax_writeback_one',
    ])
      expect(names.has(n), n).toBe(true);
    expect(text).toMatch(
      /dax_pmd_fault: dev 259:0 ino 0x1 shared ALLOW_RETRY\|KILLABLE\|USER address 0x[0-9a-f]+ .* max_pgoff 0x3ff $/m,
    );
    expect(text).toMatch(
      /dax_pte_fault_done: dev 259:0 ino 0x1 shared WRITE\|ALLOW_RETRY\|KILLABLE\|USER address 0x7f0000201000 pgoff 0x1 NOPAGE$/m,
    );
  });

  it('dax_pmd_fault and _done print vmf->pgoff, the faulting page, never the aligned index; no negative hex', () => {
    const text = ftraceOf('4.12');
    // task a reads at 2 MiB + 0 through p: page 0x200; the 4 KiB fault of b at page 1
    expect(text).toMatch(/dax_pmd_fault: .* pgoff 0x200 max_pgoff 0x3ff $/m);
    expect(text).toMatch(
      /dax_pmd_fault_done: .* address 0x7f0000201000 .* pgoff 0x1 max_pgoff 0x3ff FALLBACK$/m,
    );
    expect(text).not.toMatch(/0x-/);
  });

  it('fixed: max_pgoff counts pages (957ac8c421ad, pmd-eof-arith=count)', () => {
    expect(ftraceOf('fixed')).toMatch(/dax_pmd_fault: .* max_pgoff 0x400 $/m);
  });

  it('extra adds daxsim_* events, and fs_dax events the kernel lacked appear as daxsim_fn', () => {
    const plain = ftraceOf('4.10');
    const extra = ftraceOf('4.10', true);
    expect(events(plain).size).toBe(0);
    const names = events(extra);
    expect(names.has('daxsim_fn')).toBe(true);
    expect(extra).toMatch(/daxsim_fn: dax_pmd_fault /);
  });

  it('S6: the same profile and run give the same text byte for byte', () => {
    expect(ftraceOf('4.12', true)).toBe(ftraceOf('4.12', true));
  });
});
