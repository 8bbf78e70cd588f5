import { describe, expect, it } from 'vitest';
import { PageLock } from '../../src/sim/page-lock.js';
import { Runtime } from '../../src/sim/runtime.js';
import { RoundRobinScheduler } from '../../src/sim/scheduler.js';
import { SpinLock } from '../../src/sim/spinlock.js';
import { Trace } from '../../src/sim/trace.js';
import { toText } from '../../src/sim/trace-text.js';
import { holderAndWaiter, spawnNested } from './helpers.js';

describe('PageLock (S3, E1)', () => {
  it('S3: lock_page sleeps while another task holds the page lock', () => {
    const rt = new Runtime({ scheduler: new RoundRobinScheduler(), trace: new Trace() });
    const page = new PageLock(rt, 'hole page m:0x10');
    const { a, b } = holderAndWaiter(rt, page, ['copy']);
    expect(page.holder).toBe(a);
    expect(page.kind).toBe('page-lock');
    expect(page.cls).toBe('hole page m:0x10');
    expect(b.state).toBe('sleeping');
    expect(rt.run().allDone).toBe(true);
    const text = toText(rt.trace);
    expect(text).toContain('point: lock_page(hole page m:0x10)');
    expect(text).toContain('lock_contend: hole page m:0x10');
  });

  it('V7: lock_page with a spinlock held is a sleep-with-spinlock bug', () => {
    const rt = new Runtime({ scheduler: new RoundRobinScheduler() });
    const page = new PageLock(rt, 'p');
    const tl = new SpinLock(rt, 'tree_lock');
    spawnNested(rt, 'a', tl, page);
    rt.run();
    expect(rt.bugs.map((b) => [b.kind, b.lock?.name])).toEqual([['sleep-with-spinlock', 'tree_lock']]);
  });
});
