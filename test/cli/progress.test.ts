import { describe, expect, it } from 'vitest';
import { Progress } from '../../src/cli/progress.js';

function fake(tty: boolean) {
  let t = 0;
  const out: string[] = [];
  const p = new Progress('check x', { write: (s: string) => out.push(s) }, tty, () => t);
  return { p, out, advance: (ms: number) => (t += ms) };
}

describe('progress line on stderr (design.md: terminal only, after one second)', () => {
  it('draws nothing in the first second, then a bar, at most every 100 ms, and erases it', () => {
    const { p, out, advance } = fake(true);
    p.update('10 executions', 0.1);
    expect(out).toEqual([]);
    advance(1000);
    p.update('20 executions', 0.5);
    expect(out).toHaveLength(1);
    expect(out[0]).toContain('check x [############............]  50% 20 executions');
    advance(50);
    p.update('21 executions', 0.5);
    expect(out).toHaveLength(1);
    advance(100);
    p.update('30 executions');
    expect(out[1]).toContain('check x 30 executions');
    p.finish();
    expect(out[2]).toBe('\r\x1b[K');
  });

  it('is silent when stderr is not a terminal', () => {
    const { p, out, advance } = fake(false);
    advance(5000);
    p.update('x', 1);
    p.finish();
    expect(out).toEqual([]);
  });
});
