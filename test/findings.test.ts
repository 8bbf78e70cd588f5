/**
 * docs/findings.md: each finding still shows, under the profiles the document names, with the
 * schedule it prints. A change of the model that makes one disappear must update the document.
 */
import { describe, expect, it } from 'vitest';
import { check } from '../src/check/check.js';
import { replaySchedule } from '../src/check/replay.js';
import { runScenario } from '../src/workload/run.js';
import { loadScenario } from '../src/workload/scenario/load.js';

const ALL = ['seed', '4.10', '4.11', '4.12', '4.13', 'fixed'] as const;
const file = (name: string) => loadScenario(`examples/findings/${name}.yaml`);
const invariants = (name: string, profile: string) =>
  runScenario(file(name), { profile }).violations.map((v) => v.invariant);

describe('docs/findings.md', () => {
  it.each(ALL)('F-1 (%s): truncate into a 2 MiB entry leaves q a PTE without an entry (V4)', (profile) => {
    const v = runScenario(file('truncate-partial-pmd'), { profile }).violations;
    expect(v.map((x) => x.message)).toContain(
      'process q s 0x7f0000201000 (data index 0x1): PTE pfn 0x10000401 but the tree has none',
    );
  });

  it.each(ALL)(
    'F-2 (%s): truncate drops a dirty straddling entry; the crash after fsync loses the store (V6)',
    (profile) => {
      expect(invariants('truncate-dirty-pmd', profile)).toEqual(['V6']);
    },
  );

  it('F-4: hole pages survive over blocks a write allocated beyond its range (V5), except in the seed', () => {
    for (const profile of ALL) {
      expect(invariants('extent-beyond-write', profile), profile).toEqual(profile === 'seed' ? [] : ['V5']);
    }
  });

  it('F-6 (4.10, 4.11): a hole page replaces the whole 2 MiB entry (V3), with the WARN in the trace', () => {
    for (const profile of ['4.10', '4.11']) {
      const rep = replaySchedule(file('write-partial-pmd'), '1x4.3x7.2x6.1x11', { profile, seed: 1 });
      expect(rep.outcome.violations[0]?.message, profile).toBe(
        'mapping data: index 0x0: hole page at order 9',
      );
      expect(rep.table).toContain('WARN:page_cache_tree_insert');
    }
  });

  it('F-7 (4.12, 4.13, fixed): write(2) deletes the whole 2 MiB entry and unmaps one page: q keeps its PTE (V4)', () => {
    for (const profile of ['4.12', '4.13', 'fixed']) {
      const rep = replaySchedule(file('write-partial-pmd'), '1x5.2x6.1x10.3x12', { profile, seed: 1 });
      expect(
        rep.outcome.violations.map((v) => v.message),
        profile,
      ).toContain(
        'process q small 0x7efffff02000 (data index 0x2): PTE pfn 0x10000402 but the tree has none',
      );
    }
  });
  describe('F-8: the seed skips a locked entry in unlocked writeback, and its rescan hides it', () => {
    const sc = () => loadScenario('builtin:writeback-skip');
    /** Whether the run skipped the entry at index 1, and whether it flushed it. */
    const skipsAndFlushes = (rep: ReturnType<typeof replaySchedule>) => {
      const names = rep.run.world.rt.trace.events.flatMap((e) =>
        e.type === 'model' && e.fields?.pgoff === 1 ? [e.name] : [],
      );
      return [names.includes('dax_writeback_one_skip'), names.includes('dax_writeback_one')];
    };

    it('seed: the skipped entry is found again by the next lookup from the start, and flushed', () => {
      const rep = replaySchedule(sc(), '1x4.2x6.1x2.2x10', { profile: 'seed', seed: 1 });
      expect(skipsAndFlushes(rep)).toEqual([true, true]);
      expect(rep.outcome.violations).toEqual([]);
    });

    it('seed: dfs at preemption bound 3 exhausts the scenario without a violation', async () => {
      const r = await check(sc(), { profile: 'seed', strategy: 'dfs', preemptions: 3, workers: 1 });
      expect([r.result, r.exhausted]).toEqual(['pass', true]);
    });

    it('seed with 1eb643d02b21 (the lookup moves past the entry): fsync returns unflushed (V6)', () => {
      const rep = replaySchedule(sc(), '1x4.2x6.1', {
        profile: 'seed',
        seed: 1,
        mutations: ['writeback-index-advance=on'],
      });
      expect(skipsAndFlushes(rep)).toEqual([true, false]);
      expect(rep.outcome.violations.map((v) => v.invariant)).toEqual(['V6']);
    });
  });
});
