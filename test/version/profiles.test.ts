/**
 * Profiles are data (kernel-versions.md §2): one table of switches x profiles, every value one
 * the switch declares, every switch documented with the commits that changed it; a profile
 * and overrides resolve into one frozen kernel, and bad names are KernelConfigErrors that the
 * CLI prints in one line with exit 2.
 */
import { describe, expect, it } from 'vitest';
import { BUG_OVERRIDES, switchMutation } from '../../src/version/bug-overrides.js';
import { KernelConfigError, resolveKernel } from '../../src/version/kernel.js';
import {
  DEFAULT_PROFILE,
  PROFILE_NAMES,
  PROFILE_TABLE,
  profileValue,
  tableProblems,
} from '../../src/version/profiles.js';
import { KNOB_NAMES, knobsOf, SWITCH_NAMES, SWITCHES } from '../../src/version/switches.js';
import { daxsim } from '../cli/helpers.js';

describe('the switch table', () => {
  it('every cell is one of its switch values; the default profile is fixed', () => {
    expect(tableProblems()).toEqual([]);
    expect(DEFAULT_PROFILE).toBe('fixed');
    expect(Object.keys(PROFILE_TABLE).sort()).toEqual([...SWITCH_NAMES].sort());
  });

  it('every switch names its kernel sites, rules and a meaning for each value', () => {
    for (const name of SWITCH_NAMES) {
      const info = SWITCHES[name];
      expect(info.sites.length, name).toBeGreaterThan(5);
      expect(info.rules, name).toMatch(/[A-Z]\d/);
      const meaning: Readonly<Record<string, string>> = info.meaning;
      for (const v of info.values) expect(meaning[v], `${name}=${v}`).toBeTruthy();
    }
  });

  it('every change names a 12-digit commit, a tag and a value of its switch', () => {
    for (const name of SWITCH_NAMES) {
      const values: readonly string[] = SWITCHES[name].values;
      for (const c of SWITCHES[name].changes) {
        expect(c.commit, name).toMatch(/^[0-9a-f]{12}$/);
        expect(c.tag, name).toMatch(/^~?v\d\.\d+/);
        expect(values, name).toContain(c.to);
      }
    }
  });

  it('a value differing between profiles has a change that explains it', () => {
    for (const name of SWITCH_NAMES) {
      const kernelValues = new Set(
        PROFILE_NAMES.filter((p) => p !== 'seed').map((p) => profileValue(p, name)),
      );
      const explained = new Set<string>(SWITCHES[name].changes.map((c) => c.to));
      for (const v of kernelValues) {
        if (v !== profileValue('seed', name)) expect(explained.has(v), `${name}=${v}`).toBe(true);
      }
    }
  });
});

describe('resolveKernel', () => {
  it('sets every knob; a group switch sets all its parts; a part can be set alone', () => {
    const k = resolveKernel('4.12');
    expect(Object.keys(k.sw).sort()).toEqual([...KNOB_NAMES].sort());
    expect(Object.isFrozen(k.sw)).toBe(true);
    const off = resolveKernel('fixed', { 'review-fixes': 'off' }).sw as unknown as Record<string, string>;
    for (const part of knobsOf('review-fixes')) expect(off[part]).toBe('off');
    const one = resolveKernel('fixed', { 'review-fixes/eexist-wake': 'off' }).sw as unknown as Record<
      string,
      string
    >;
    expect(one['review-fixes/eexist-wake']).toBe('off');
    expect(one['review-fixes/downgrade-wake-all']).toBe('on');
  });

  it('unknown profiles, switches and values are KernelConfigErrors naming what exists', () => {
    expect(() => resolveKernel('4.9')).toThrow(KernelConfigError);
    expect(() => resolveKernel('4.9')).toThrow(/expected one of seed, 4\.10/);
    expect(() => resolveKernel('fixed', { 'no-such-switch': 'on' })).toThrow(
      /unknown switch 'no-such-switch'/,
    );
    expect(() => resolveKernel('fixed', { 'colour-check': 'maybe' })).toThrow(
      /'maybe' is not one of off, on/,
    );
  });

  it('every named bug is a valid override, and `SWITCH=VALUE` is one too', () => {
    for (const [name, o] of Object.entries(BUG_OVERRIDES))
      expect(() => resolveKernel('fixed', o), name).not.toThrow();
    expect(switchMutation('colour-check=off')).toEqual({ 'colour-check': 'off' });
    expect(switchMutation('drop-wake@unlock-wake')).toBeUndefined();
  });
});

describe('the CLI (kernel-versions.md, design.md)', () => {
  it('daxsim profiles lists every switch with its value per profile; --json has the same', () => {
    const r = daxsim(['profiles']);
    expect(r.code).toBe(0);
    for (const s of SWITCH_NAMES) expect(r.stdout).toMatch(new RegExp(`^${s} `, 'm'));
    const j = JSON.parse(daxsim(['profiles', '--json']).stdout);
    expect(j.profiles.map((p: { name: string }) => p.name)).toEqual([...PROFILE_NAMES]);
    expect(j.profiles[3].switches['pmd-pte-collision-recheck']).toBe('on');
  });

  it('an unknown profile or switch exits 2 with one line listing what exists', () => {
    for (const args of [
      ['run', 'builtin:pmd-aligned', '--profile', '4.9'],
      ['check', 'builtin:pmd-aligned', '--profile', 'linus'],
      ['run', 'builtin:pmd-aligned', '--mutation', 'colour-check=maybe'],
      ['run', 'builtin:pmd-aligned', '--mutation', 'no-such-bug'],
    ]) {
      const r = daxsim(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stderr).toMatch(/expected one of|is not one of|see `daxsim mutations`/);
    }
  });

  it('"profile" is in every --json of run, check and replay', () => {
    const run = JSON.parse(daxsim(['run', 'builtin:pmd-aligned', '--json', '--profile', '4.11']).stdout);
    expect(run.profile).toBe('4.11');
    const check = JSON.parse(daxsim(['check', 'builtin:pmd-aligned', '--json', '--executions', '5']).stdout);
    expect(check.profile).toBe('fixed');
    const rep = JSON.parse(
      daxsim(['replay', 'builtin:pmd-aligned', '--schedule', '', '--json', '--profile', 'seed']).stdout,
    );
    expect(rep.profile).toBe('seed');
  });
});

describe('daxsim compare', () => {
  it('prints counts, task outcomes and --check verdicts side by side; exit 1 when a column fails', () => {
    const r = daxsim([
      'compare',
      'builtin:colour-two-faults',
      '--profiles',
      '4.12,fixed',
      '--check',
      '--executions',
      '50',
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^\s+4\.12\s+fixed$/m);
    expect(r.stdout).toMatch(/^ {2}colour\s+0\s+2$/m);
    expect(r.stdout).toMatch(/^check\s+V3 \(execution \d+\)\s+pass \(50\)$/m);
    expect(r.stdout).toMatch(
      /daxsim replay builtin:colour-two-faults --profile 4\.12 --schedule \S+ --seed 1/,
    );
    const j = JSON.parse(
      daxsim(['compare', 'builtin:pmd-aligned', '--profiles', 'seed,4.10,fixed', '--json']).stdout,
    );
    expect(j.profiles.map((c: { profile: string }) => c.profile)).toEqual(['seed', '4.10', 'fixed']);
    expect(j.profiles[0].report.profile).toBe('seed');
  });

  it('needs two or more known profiles (exit 2, one line)', () => {
    for (const p of ['fixed', '4.12,,fixed', '4.12,5.0']) {
      const r = daxsim(['compare', 'builtin:pmd-aligned', '--profiles', p]);
      expect(r.code, p).toBe(2);
      expect(r.stderr.trim().split('\n'), p).toHaveLength(1);
    }
  });
});
