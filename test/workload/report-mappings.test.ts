/**
 * The report's per-mapping section (design.md run report; docs/json.md `mappings[]`): which
 * 2 MiB blocks of each mapping ended up as one huge PMD and which as 4 KiB PTEs, and the
 * faults, fallbacks by reason and SIGBUS charged to each mapping (M2, M3, M7).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatReport } from '../../src/workload/report-text.js';
import { runParsed, runYaml, scenarioOf } from '../helpers/scenario.js';
import { workloadArb, workloadYaml } from '../helpers/workload-arb.js';

const TWO_MAPPINGS = `
files:
  - { path: data, size: 4MiB, layout: allocated }
processes:
  - name: p
    mappings:
      - { name: good, file: data, offset: 0, length: 4MiB }
      - { name: odd, file: data, offset: 0, length: 4MiB, address: "0x7f0000001000" }
tasks:
  - name: t
    ops:
      - touch: { map: good, offset: 0, length: 4MiB, stride: 2MiB, access: read }
      - touch: { map: odd, offset: 0, length: 4MiB, stride: 1MiB, access: read }
      - read: { map: odd, offset: 5MiB, length: 1 }
`;

describe('per-mapping report (M2, M3, M7)', () => {
  it('M7: an aligned mapping gets huge PMDs; M3 before M2: a misaligned one falls back on its colour first (4.13 order)', () => {
    const { report } = runYaml(TWO_MAPPINGS);
    const [good, odd] = report.mappings;
    expect(good).toMatchObject({
      process: 'p',
      name: 'good',
      file: 'data',
      fileOffset: 0,
      length: 4 * 2 ** 20,
      unmapped: false,
      blocks: { total: 2, huge: 2, ptes: 0, none: 0 },
      ptes: 0,
      faults: { pmd: 2, pte: 0, fallback: 0, sigbus: 0 },
    });
    expect(odd).toMatchObject({
      start: 0x7f0000001000,
      blocks: { total: 3, huge: 0, ptes: 2, none: 1 },
      ptes: 4,
      faults: { pmd: 0, pte: 4, fallback: 2, fallbackReasons: { colour: 2 } },
    });
  });

  it('the mappings section of the text report says which mapping got huge pages', () => {
    const text = formatReport(runYaml(TWO_MAPPINGS).report);
    // Under 4.12 (no colour check) the block at the VMA's start falls back on its bounds.
    const old = formatReport(runYaml(TWO_MAPPINGS, { profile: '4.12' }).report);
    expect(old).toContain('fallbacks: vma-bounds (M2) 1');
    expect(text).toMatch(/p\/good\s+data\s+0 B\s+4\.0 MiB\s+2\s+0\s+0\s+yes/);
    expect(text).toMatch(/p\/odd\s+data\s+0 B\s+4\.0 MiB\s+0\s+2\s+1\s+no/);
    expect(text).toContain('fallbacks: colour (M3) 2');
  });

  it('an unmapped mapping keeps its fault counts and shows no blocks', () => {
    const yaml = TWO_MAPPINGS.replace(
      '      - read: { map: odd, offset: 5MiB, length: 1 }',
      '      - munmap: { map: good }',
    );
    const good = runYaml(yaml).report.mappings[0]!;
    expect(good).toMatchObject({ unmapped: true, blocks: { huge: 0, ptes: 0, none: 2 }, faults: { pmd: 2 } });
  });

  it('the per-mapping fault counts sum to the totals (every fault is charged to its mapping)', () => {
    fc.assert(
      fc.property(workloadArb(2, 5), (w) => {
        const { report } = runParsed(scenarioOf(workloadYaml(w)));
        for (const k of ['pmd', 'pte', 'fallback', 'major', 'cow', 'sigbus', 'mkwrite'] as const) {
          const sum = report.mappings.reduce((n, m) => n + m.faults[k], 0);
          expect(sum, k).toBe(report.faults[k]);
        }
      }),
      { numRuns: 40, seed: 7 },
    );
  });
});

describe('expectations line', () => {
  it('"expectations: all N met" only when the scenario states some', () => {
    const none = formatReport(runYaml(TWO_MAPPINGS).report);
    expect(none).not.toContain('expectations');
    const some = formatReport(
      runYaml(`${TWO_MAPPINGS}expect: { faults: { pmd: 2 }, tasks: { t: SIGSEGV } }\n`).report,
    );
    expect(some).toContain('expectations: all 2 met');
  });
});
