import { describe, expect, it } from 'vitest';
import { RoundRobinScheduler } from '../../src/sim/scheduler.js';
import { Trace } from '../../src/sim/trace.js';
import { eventText, toText } from '../../src/sim/trace-text.js';
import { toyWorld } from './helpers.js';

describe('toText (S5, S6)', () => {
  it('S5: one line per event, prefixed by task-id and zero-padded step', () => {
    const { rt, tree } = toyWorld(new RoundRobinScheduler(), { trace: true });
    for (const n of ['t0', 't1']) {
      rt.spawn(n, function* () {
        yield* tree.lockEntry(0x200);
        yield 'work';
        yield* tree.unlockEntry(0x200);
      });
    }
    rt.run();
    const text = toText(rt.trace);
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(rt.trace.events.length);
    expect(lines[0]).toBe('            t0-0 [000000] spawn: name=t0');
    expect(text).toContain('t1-1 [000004] sleep: on=wait_table bucket=');
    expect(text).toMatch(/t0-0 \[\d{6}\] wake: wakee=t1-1 on=wait_table bucket=\d+ key=m:0x200/);
    expect(text).toMatch(/wake_up: key=m:0x200 bucket=\d+ one woken=1/);
  });

  it('S5: model events print pre-rendered text verbatim, else fields and rule', () => {
    const name = (id: number) => `t-${id}`;
    const e = { type: 'model' as const, task: 0, step: 3, name: 'dax_pmd_fault' };
    expect(eventText({ ...e, text: 'dev 259:0 ino 0xc shared' }, name)).toBe(
      'dax_pmd_fault: dev 259:0 ino 0xc shared',
    );
    expect(eventText({ ...e, fields: { index: 512, write: true }, rule: 'M5' }, name)).toBe(
      'dax_pmd_fault: index=512 write=true rule=M5',
    );
    expect(eventText(e, name)).toBe('dax_pmd_fault:');
    expect(
      eventText({ type: 'alloc', step: 1, task: 0, site: 'radix-preload', failed: true, chosen: true }, name),
    ).toBe('alloc: site=radix-preload FAILED (chosen)');
    expect(
      eventText({ type: 'bug', step: 1, task: 0, kind: 'sleep-with-spinlock', message: 'm' }, name),
    ).toBe('BUG sleep-with-spinlock: m');
  });

  it('events from outside any task are labelled <none>', () => {
    const t = new Trace();
    t.emit({ type: 'wake-call', step: 0, task: -1, bucket: 1, key: 'm:0x1', all: true, woken: 0 });
    expect(toText(t)).toBe('          <none> [000000] wake_up: key=m:0x1 bucket=1 all woken=0\n');
  });
});
