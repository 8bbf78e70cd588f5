/**
 * Each switch shown with both values (kernel-versions.md §3). The switches a history row
 * covers are shown there (test/version/history.test.ts, before and after); these are the rest,
 * whose values change what the model does without an invariant telling them apart.
 */
import { describe, expect, it } from 'vitest';
import { TAG_DIRTY } from '../../src/lib/radix-tree.js';
import { runYaml } from '../helpers/scenario.js';
import { YAML_P_WHOLE, yamlProc, yamlScenario } from '../helpers/scenario-yaml.js';

const SMALL = yamlProc('q', 's', '0', '1MiB', ', address: "0x7f0000200000"');

describe('switches without a history row, both values', () => {
  it('D2, P1 pte-table-alloc: early gives the slot a PTE table before the handler, so a SIGBUS leaves one behind', () => {
    const yaml = yamlScenario(
      'size: 8KiB, layout: allocated',
      [SMALL],
      `
tasks:
  - { name: t, process: q, ops: [{ read: { map: s, offset: 0x3000, length: 1 } }] }
`,
    );
    const late = runYaml(yaml).report;
    const early = runYaml(yaml, { switches: { 'pte-table-alloc': 'early' } }).report;
    expect(late.tasks.t).toBe('SIGBUS');
    expect(early.tasks.t).toBe('SIGBUS');
    expect(late.pageTables.pteTables).toBe(0);
    expect(early.pageTables.pteTables).toBe(1);
  });

  it('P5, D4 pte-write-mapping: ro maps a 4 KiB write read-only and takes dax_pfn_mkwrite; rw maps it writable at once', () => {
    const yaml = yamlScenario(
      'size: 2MiB, layout: allocated',
      [SMALL],
      `
tasks:
  - { name: t, process: q, ops: [{ write: { map: s, offset: 0x1000, data: "w" } }] }
`,
    );
    const ro = runYaml(yaml, { switches: { 'pte-write-mapping': 'ro' } }).report;
    const rw = runYaml(yaml, { switches: { 'pte-write-mapping': 'rw' } }).report;
    expect(ro.faults).toMatchObject({ pte: 1, mkwrite: 1 });
    expect(rw.faults).toMatchObject({ pte: 1, mkwrite: 0 });
    expect(ro.violations).toEqual([]);
    expect(rw.violations).toEqual([]);
  });

  it('W1, S5 writeback-index-advance: on, the done event starts after the last entry found; off, at the requested start', () => {
    const yaml = yamlScenario(
      'size: 4MiB, layout: allocated',
      [YAML_P_WHOLE],
      `
tasks:
  - name: t
    ops:
      - write: { map: m, offset: 0x1000, data: "a" }
      - write: { map: m, offset: 0x201000, data: "b" }
      - fsync: { file: data }
`,
    );
    const done = (on: 'on' | 'off') => {
      const { result } = runYaml(yaml, { trace: true, switches: { 'writeback-index-advance': on } });
      const e = result.world.rt.trace.events.find(
        (x) => x.type === 'model' && x.name === 'dax_writeback_range_done',
      );
      return e?.type === 'model' ? e.fields?.start_index : undefined;
    };
    expect(done('on')).toBe(0x201);
    expect(done('off')).toBe(0);
  });

  it('W2, W3 writeback-protocol: locked flushes under the entry lock and then clears DIRTY (4.10 on); unlocked (the seed) never clears it', () => {
    const yaml = yamlScenario(
      'size: 2MiB, layout: allocated',
      [YAML_P_WHOLE],
      `
tasks:
  - name: t
    ops:
      - write: { map: m, offset: 0x1000, data: "a" }
      - fsync: { file: data }
`,
    );
    const dirtyAfter = (v: 'locked' | 'unlocked') => {
      const { result } = runYaml(yaml, { switches: { 'writeback-protocol': v, 'dirty-clear': 'clean' } });
      expect(result.violations).toEqual([]);
      return result.world.files.get('data')!.tree.tagGet(0, TAG_DIRTY);
    };
    expect(dirtyAfter('locked')).toBe(false);
    expect(dirtyAfter('unlocked')).toBe(true);
  });
});
