import { describe, expect, it } from 'vitest';
import { CHUNK_BYTES, LINE_BYTES, LINES_PER_CHUNK, MediaChunk } from '../../src/block/chunk.js';

describe('MediaChunk (B2)', () => {
  it('B2: dirty lines are counted once; durable writes clean only wholly covered lines', () => {
    const c = new MediaChunk();
    expect(c.view()).toBe(c.media);
    c.ensureCache();
    expect(c.markDirty(10, 3 * LINE_BYTES)).toBe(3);
    expect(c.markDirty(0, 1)).toBe(0);
    expect(c.cleanCovered(10, 2 * LINE_BYTES + 1)).toBe(1); // only line 1 is wholly inside
    expect(c.dirtyCount).toBe(2);
    expect(() => c.dropCache()).toThrow(/dirty/);
  });

  it('B2: flushLines copies exactly the dirty lines overlapping the range', () => {
    const c = new MediaChunk();
    const cache = c.ensureCache();
    cache.fill(7);
    c.markDirty(0, CHUNK_BYTES);
    expect(c.flushLines(LINE_BYTES + 1, 2 * LINE_BYTES + 1)).toBe(2);
    expect(c.media[LINE_BYTES - 1]).toBe(0);
    expect(c.media[LINE_BYTES]).toBe(7);
    expect(c.media[3 * LINE_BYTES - 1]).toBe(7);
    expect(c.media[3 * LINE_BYTES]).toBe(0);
    expect(c.dirtyCount).toBe(LINES_PER_CHUNK - 2);
  });

  it('B2: crash decides per dirty line in ascending order and drops the cache view', () => {
    const c = new MediaChunk();
    const cache = c.ensureCache();
    cache.fill(1, 0, LINE_BYTES);
    cache.fill(2, 5 * LINE_BYTES, 6 * LINE_BYTES);
    c.markDirty(0, LINE_BYTES);
    c.markDirty(5 * LINE_BYTES, 6 * LINE_BYTES);
    const order: boolean[] = [true, false];
    expect(c.crash(() => order.shift()!)).toBe(1);
    expect(c.media[0]).toBe(0); // lost
    expect(c.media[5 * LINE_BYTES]).toBe(2); // survived
    expect(c.cache).toBeNull();
    expect(c.dirtyCount).toBe(0);
  });
});
