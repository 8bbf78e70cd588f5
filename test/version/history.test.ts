/**
 * `daxsim history` (kernel-versions.md): every upstream fix the model expresses is re-found by
 * the checker: its bug's invariant is violated with the switch set back, and nothing is found
 * in the profile with the fix. One test per row; the rows' data is checked against the table.
 */
import { describe, expect, it } from 'vitest';
import { checkHistoryRow } from '../../src/check/history.js';
import { HISTORY, NOT_REFOUND } from '../../src/version/history.js';
import { resolveKernel } from '../../src/version/kernel.js';
import { profileValue } from '../../src/version/profiles.js';
import { KNOB_NAMES, SWITCH_NAMES, type SwitchName } from '../../src/version/switches.js';
import { loadScenario } from '../../src/workload/scenario/load.js';
import { daxsim } from '../cli/helpers.js';

const knobOf = (knob: string): SwitchName => knob.split('/')[0] as SwitchName;

describe('the history rows', () => {
  it('each row names a knob, a value before and after, and a profile that has the after value', () => {
    for (const r of HISTORY) {
      expect(KNOB_NAMES as readonly string[], r.commit).toContain(r.knob);
      const sw = resolveKernel(r.profile).sw as unknown as Record<string, string>;
      expect(sw[r.knob], r.commit).toBe(r.after);
      expect(() => resolveKernel(r.profile, { [r.knob]: r.before }), r.commit).not.toThrow();
      expect(r.before, r.commit).not.toBe(r.after);
      for (const p of r.shipped) {
        const v = resolveKernel(p).sw as unknown as Record<string, string>;
        expect(v[r.knob], `${r.commit} shipped in ${p}`).toBe(r.before);
      }
      expect(() => loadScenario(r.scenario)).not.toThrow();
    }
  });

  it('every switch is either a history row or listed as not re-found, with a reason', () => {
    const covered = new Set([...HISTORY.map((r) => knobOf(r.knob)), ...NOT_REFOUND.map((n) => n.knob)]);
    for (const s of SWITCH_NAMES) expect(covered.has(s), s).toBe(true);
    for (const n of NOT_REFOUND) expect(n.why.length, n.commit).toBeGreaterThan(40);
  });

  it('the table is in sync with the fixes: `fixed` has every after value', () => {
    for (const r of HISTORY) {
      if (r.knob.includes('/')) continue;
      expect(profileValue('fixed', knobOf(r.knob)), r.commit).toBe(r.after);
    }
  });
});

describe('history --check: each fix re-found (V1-V7 under the fix set back, none with it)', () => {
  for (const row of HISTORY) {
    it(`${row.commit} (${row.knob}: ${row.before} -> ${row.after}) on ${row.scenario}: ${row.expect.join('/')} before, nothing after`, async () => {
      const v = await checkHistoryRow(row, { shrink: false });
      expect(v.before.result).toBe('violation');
      expect(row.expect).toContain(v.before.invariant);
      expect(v.after.result).toBe('pass');
      expect(v.refound).toBe(true);
    });
  }
});

describe('daxsim history (CLI)', () => {
  it('lists every fix with its before and after kernels, then the changes no invariant shows', () => {
    const r = daxsim(['history']);
    expect(r.code).toBe(0);
    for (const row of HISTORY) expect(r.stdout).toContain(row.commit);
    expect(r.stdout).toContain('switch changes no invariant can show');
    const j = JSON.parse(daxsim(['history', '--json']).stdout);
    expect(j.fixes).toHaveLength(HISTORY.length);
    expect(j.notRefound).toHaveLength(NOT_REFOUND.length);
  });
});
