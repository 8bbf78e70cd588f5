/** Unit and property tests of PhysMem: RAM pages, zero pages, RAM vs device dispatch (P4, M8, B2). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PmemDevice } from '../../src/block/pmem.js';
import { type DeviceMemory, PhysMem, RAM_BASE_PFN } from '../../src/mm/phys.js';
import { PAGE_SIZE, PTRS_PER_PTE } from '../../src/mm/units.js';
import { FakeDevice } from './helpers.js';

function bytes(n: number, fill: number): Uint8Array {
  return new Uint8Array(n).fill(fill);
}

describe('PhysMem: RAM pages', () => {
  it('allocates zero-filled pages lazily and counts them', () => {
    const pm = new PhysMem();
    const a = pm.allocPage();
    const b = pm.allocPage();
    expect(a).not.toBe(b);
    expect(pm.pagesInUse).toBe(2);
    expect(pm.bytesAllocated).toBe(0);
    const dst = bytes(16, 0xff);
    pm.load(a, 100, dst, 0, 16);
    expect(dst).toEqual(bytes(16, 0));
    pm.store(a, 4090, bytes(6, 7), 0, 6);
    expect(pm.bytesAllocated).toBe(PAGE_SIZE);
    const back = new Uint8Array(8);
    pm.load(a, 4088, back, 0, 8);
    expect([...back]).toEqual([0, 0, 7, 7, 7, 7, 7, 7]);
    expect(pm.classify(a)).toBe('ram');
  });

  it('reuses the last freed pfn first (deterministic) and forgets the old contents', () => {
    const pm = new PhysMem();
    const a = pm.allocPage();
    pm.store(a, 0, bytes(4, 9), 0, 4);
    pm.freePage(a);
    expect(pm.pagesInUse).toBe(0);
    expect(pm.bytesAllocated).toBe(0);
    expect(pm.classify(a)).toBe('invalid');
    expect(pm.allocPage()).toBe(a);
    const dst = bytes(4, 1);
    pm.load(a, 0, dst, 0, 4);
    expect(dst).toEqual(bytes(4, 0));
  });

  it('throws on use of a page that is not allocated, a double free, or a span past the page', () => {
    const pm = new PhysMem();
    const a = pm.allocPage();
    expect(() => pm.load(a + 1, 0, new Uint8Array(1), 0, 1)).toThrow(/not an allocated page/);
    expect(() => pm.load(a, 4095, new Uint8Array(2), 0, 2)).toThrow(RangeError);
    expect(() => pm.store(a, 0, new Uint8Array(2), 1, 2)).toThrow(RangeError);
    pm.freePage(a);
    expect(() => pm.freePage(a)).toThrow(/not an allocated page/);
    expect(() => pm.freePage(pm.zeroPfn)).toThrow(/not an allocated page/);
  });
});

describe('PhysMem: zero pages', () => {
  it('places the zero page in RAM and the huge zero page 2 MiB aligned', () => {
    const pm = new PhysMem();
    expect(pm.zeroPfn).toBe(RAM_BASE_PFN);
    expect(pm.hugeZeroPfn % PTRS_PER_PTE).toBe(0);
    expect(pm.classify(pm.zeroPfn)).toBe('zero');
    expect(pm.classify(pm.hugeZeroPfn + 511)).toBe('huge-zero');
    expect(pm.classify(pm.hugeZeroPfn + 512)).toBe('invalid');
    const a = pm.allocPage();
    expect(a === pm.zeroPfn || (a >= pm.hugeZeroPfn && a < pm.hugeZeroPfn + 512)).toBe(false);
  });

  it('reads zeros and throws on any store to the zero page or huge zero page (M8)', () => {
    const pm = new PhysMem();
    const dst = bytes(8, 3);
    pm.load(pm.hugeZeroPfn + 300, 8, dst, 0, 8);
    expect(dst).toEqual(bytes(8, 0));
    expect(() => pm.store(pm.zeroPfn, 0, bytes(1, 1), 0, 1)).toThrow(/zero page/);
    expect(() => pm.store(pm.hugeZeroPfn + 511, 0, bytes(1, 1), 0, 1)).toThrow(/zero page/);
    expect(() => pm.copyPage(pm.allocPage(), pm.hugeZeroPfn)).toThrow(/zero page/);
  });
});

describe('PhysMem: RAM vs device dispatch', () => {
  it('sends loads and stores of device pfns to the device at pfnToOffset + offsetInPage', () => {
    const dev = new FakeDevice();
    const pm = new PhysMem({ device: dev });
    const pfn = dev.basePfn + 3;
    expect(pm.classify(pfn)).toBe('device');
    expect(pm.isDevicePfn(pfn)).toBe(true);
    pm.store(pfn, 10, Uint8Array.of(1, 2, 3, 4), 1, 3);
    expect(dev.stores).toBe(1);
    expect([...dev.bytes.subarray(3 * 4096 + 10, 3 * 4096 + 13)]).toEqual([2, 3, 4]);
    const dst = new Uint8Array(5);
    pm.load(pfn, 9, dst, 1, 4);
    expect([...dst]).toEqual([0, 0, 2, 3, 4]);
    expect(dev.loads).toBe(1);
    const ram = pm.allocPage();
    pm.store(ram, 0, bytes(4, 5), 0, 4);
    expect(dev.stores).toBe(1);
    expect(() => pm.load(dev.basePfn + dev.pages, 0, dst, 0, 1)).toThrow(/neither RAM nor device/);
  });

  it('copyPage copies device data, RAM data or zeros into a RAM page (P4)', () => {
    const dev = new FakeDevice();
    const pm = new PhysMem({ device: dev });
    dev.bytes.fill(0xab, 4096, 8192);
    const cow = pm.allocPage();
    pm.copyPage(dev.basePfn + 1, cow);
    const got = new Uint8Array(PAGE_SIZE);
    pm.load(cow, 0, got, 0, PAGE_SIZE);
    expect(got).toEqual(bytes(PAGE_SIZE, 0xab));
    const second = pm.allocPage();
    pm.copyPage(cow, second);
    pm.load(second, 0, got.fill(0), 0, PAGE_SIZE);
    expect(got).toEqual(bytes(PAGE_SIZE, 0xab));
    pm.copyPage(pm.zeroPfn, second);
    pm.load(second, 0, got, 0, PAGE_SIZE);
    expect(got).toEqual(bytes(PAGE_SIZE, 0));
    expect(() => pm.copyPage(cow, dev.basePfn)).toThrow(/not an allocated RAM page/);
  });

  it('rejects a device overlapping the RAM pfn range', () => {
    expect(() => new PhysMem({ device: new FakeDevice(RAM_BASE_PFN + 100) })).toThrow(/overlaps/);
  });

  it('accepts the real PmemDevice as its DeviceMemory (B2: stores go to the cache view)', () => {
    const dev = new PmemDevice({ sizeBytes: 4 * 1024 * 1024 });
    const asMemory: DeviceMemory = dev;
    const pm = new PhysMem({ device: asMemory });
    pm.store(dev.basePfn + 1, 0, Uint8Array.of(42), 0, 1);
    expect(dev.read(4096, 1)[0]).toBe(42);
    expect(dev.readMedia(4096, 1)[0]).toBe(0);
  });
});

describe('PhysMem: property against a byte-map reference', () => {
  it('every load returns the bytes last stored (RAM and device)', () => {
    const dev = new FakeDevice(2 ** 28, 4);
    const op = fc.record({
      page: fc.nat(5), // 0-1: RAM pages, 2-5: device pages
      off: fc.nat(4095),
      len: fc.integer({ min: 0, max: 64 }),
      byte: fc.nat(255),
      store: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        dev.bytes.fill(0);
        const pm = new PhysMem({ device: dev });
        const pfns = [
          pm.allocPage(),
          pm.allocPage(),
          dev.basePfn,
          dev.basePfn + 1,
          dev.basePfn + 2,
          dev.basePfn + 3,
        ];
        const ref = pfns.map(() => new Uint8Array(PAGE_SIZE));
        for (const o of ops) {
          const len = Math.min(o.len, PAGE_SIZE - o.off);
          const pfn = pfns[o.page]!;
          if (o.store) {
            pm.store(pfn, o.off, bytes(len, o.byte), 0, len);
            ref[o.page]!.fill(o.byte, o.off, o.off + len);
          } else {
            const dst = new Uint8Array(len);
            pm.load(pfn, o.off, dst, 0, len);
            expect(dst).toEqual(ref[o.page]!.subarray(o.off, o.off + len));
          }
        }
      }),
    );
  });
});
