/** Bad values the schema accepts but check-values.ts rejects (alignment, ranges, extents; B1, F1, F2). */
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/workload/scenario/parse.js';
import { doc, expectIssue, type Want, withFiles } from './scenario-expect-issue.js';

describe('value checks', () => {
  const mapping = (fields: string) =>
    withFiles('processes:', '  - name: p', '    mappings:', `      - { ${fields} }`, 'tasks: []');

  it('misaligned or out-of-range explicit address', () => {
    expectIssue(mapping('name: m, file: data, offset: 0, length: 4KiB, address: 0x7f0000201001'), {
      at: '0x7f0000201001',
      path: 'processes[0].mappings[0].address',
      expected: /page aligned/,
      got: '0x7f0000201001',
    });
    expectIssue(mapping('name: m, file: data, offset: 0, length: 4KiB, address: "0x800000000000"'), {
      at: '"0x800000000000"',
      path: 'processes[0].mappings[0].address',
      expected: /inside user space/,
    });
  });

  it('misaligned mapping offset, in processes and in an mmap op', () => {
    expectIssue(mapping('name: m, file: data, offset: 0x1001, length: 4KiB'), {
      at: '0x1001',
      path: 'processes[0].mappings[0].offset',
      expected: /page aligned/,
      got: '0x1001',
    });
    const mmap = withFiles(
      'tasks:',
      '  - name: t',
      '    ops:',
      '      - mmap: { name: m, file: data, offset: 100, length: 4KiB }',
    );
    expectIssue(mmap, {
      at: '100',
      path: 'tasks[0].ops[0].mmap.offset',
      expected: /page aligned/,
      got: '100',
    });
  });

  it('device and fs settings (B1, F2)', () => {
    expectIssue(withFiles('tasks: []', 'device: { baseAlign: 3MiB }'), {
      at: '3MiB',
      path: 'device.baseAlign',
      expected: 'a power of two from 4KiB to 1GiB (B1)',
    });
    expectIssue(withFiles('tasks: []', 'fs: { allocAlign: 1MiB }'), {
      at: '1MiB',
      path: 'fs.allocAlign',
      expected: '4KiB or 2MiB (F2)',
    });
    expectIssue(withFiles('tasks: []', 'fs: { extentHint: 4KiB }'), {
      at: ['extentHint', '4KiB'],
      path: 'fs.extentHint',
      expected: 'a multiple of 4KiB of at least fs.allocAlign (2MiB)',
    });
    expectIssue(withFiles('tasks: []', 'device: { size: 1GiB }', 'fs: { freeSpace: 2GiB }'), {
      at: '2GiB',
      path: 'fs.freeSpace',
      expected: 'at most device.size (1GiB)',
    });
    expectIssue(withFiles('tasks: []', 'device: { size: 5000 }'), {
      at: '5000',
      path: 'device.size',
      expected: 'a non-zero multiple of 4KiB',
    });
  });

  it('op ranges: lengths, stride, equals size, msync start, data limit; inject modes (S4)', () => {
    const op = (body: string) =>
      withFiles(
        'processes: [{ name: p, mappings: [{ name: m, file: data, offset: 0, length: 4MiB }] }]',
        'tasks:',
        '  - name: t',
        '    ops:',
        `      - ${body}`,
      );
    const cases: [string, Want][] = [
      [
        'read: { map: m, offset: 0, length: 0 }',
        { at: ['read:', '0 }'], path: 'tasks[0].ops[0].read.length', expected: 'at least 1 byte' },
      ],
      [
        'read: { map: m, offset: 0, length: 4, equals: "0x0000" }',
        {
          at: '"0x0000"',
          path: 'tasks[0].ops[0].read.equals',
          expected: "exactly 4 bytes (the op's length)",
          got: '2 bytes',
        },
      ],
      [
        'pread: { file: data, offset: 0, length: 1, equals: "ab" }',
        { at: '"ab"', path: 'tasks[0].ops[0].pread.equals', expected: "at most 1 bytes (the op's length)" },
      ],
      [
        'read: { map: m, offset: 0, length: 3, equals: "0x123" }',
        { at: '"0x123"', path: 'tasks[0].ops[0].read.equals', expected: /even, non-zero number of digits/ },
      ],
      [
        'touch: { map: m, offset: 0, length: 4KiB, stride: 0, access: read }',
        { at: ['touch', '0, access'], path: 'tasks[0].ops[0].touch.stride', expected: 'at least 1 byte' },
      ],
      [
        'msync: { map: m, offset: 100 }',
        { at: '100', path: 'tasks[0].ops[0].msync.offset', expected: /page aligned/ },
      ],
      [
        'write: { map: m, offset: 0, length: 1GiB, byte: 0 }',
        { at: '1GiB', path: 'tasks[0].ops[0].write.length', expected: /at most 64MiB/ },
      ],
      [
        'write: { map: m, offset: 0, data: "x", byte: 1 }',
        {
          at: ['write:', '{ map'],
          path: 'tasks[0].ops[0].write',
          expected: 'either data, or length with byte',
          got: 'data and byte',
        },
      ],
    ];
    for (const [body, want] of cases) expectIssue(op(body), want);
    expectIssue(withFiles('tasks: []', 'inject: [{ site: page-alloc, nth: 0 }]'), {
      at: ['inject', '0 }'],
      path: 'inject[0].nth',
      expected: /at least 1/,
    });
    expectIssue(withFiles('tasks: []', 'inject: [{ site: page-alloc, nth: 1, every: true }]'), {
      at: ['inject', '{ site'],
      path: 'inject[0]',
      expected: 'exactly one of nth, every, probability',
      got: 'nth and every',
    });
  });

  it('an op item holds exactly one op', () => {
    const ops = (item: string) => withFiles('tasks:', '  - name: t', '    ops:', `      - ${item}`);
    expectIssue(ops('{ fsync: { file: data }, crash: {} }'), {
      at: '{ fsync',
      path: 'tasks[0].ops[0]',
      expected: /^exactly one op \(read, write, touch/,
      got: 'fsync and crash',
    });
    expectIssue(ops('sync: { file: data }'), {
      at: 'sync',
      path: 'tasks[0].ops[0].sync',
      expected: /^one of the keys read, write, touch/,
      got: /unknown key "sync" \(did you mean "(fsync|msync)"\?\)/,
    });
  });
});

describe('extents: explicit, in order, covering [0, size) (F1)', () => {
  const file = (size: string, ...extents: string[]) =>
    doc(
      'files:',
      '  - path: f',
      `    size: ${size}`,
      '    extents:',
      ...extents.map((e) => `      - { ${e} }`),
      'tasks: []',
    );

  it('a gap', () => {
    expectIssue(
      file('8KiB', 'offset: 0, length: 4KiB, type: mapped', 'offset: 8KiB, length: 4KiB, type: hole'),
      {
        at: ['type: hole', '8KiB'],
        path: 'files[0].extents[1].offset',
        expected: '4KiB (each extent starts where the previous one ends)',
        got: '8KiB',
      },
    );
  });

  it('not starting at 0', () => {
    expectIssue(file('8KiB', 'offset: 4KiB, length: 4KiB, type: mapped'), {
      at: ['type: mapped', '4KiB'],
      path: 'files[0].extents[0].offset',
      expected: '0 (the first extent starts at 0)',
    });
  });

  it('stopping short of the size, or running past it', () => {
    expectIssue(file('8KiB', 'offset: 0, length: 4KiB, type: mapped'), {
      at: ['type: mapped', '4KiB'],
      path: 'files[0].extents[0].length',
      expected: 'extents covering [0, size) up to 8KiB',
      got: 'extents ending at 4KiB',
    });
    expectIssue(file('4KiB', 'offset: 0, length: 8KiB, type: mapped'), {
      at: '8KiB',
      path: 'files[0].extents[0].length',
      expected: /ending at or before 4KiB/,
    });
  });

  it('a partial last block is covered by a whole block', () => {
    const s = parseScenario(file('5000', 'offset: 0, length: 8KiB, type: mapped'), 'x.yaml');
    expect(s.files[0]?.extents).toEqual([{ offset: 0, length: 8192, type: 'mapped' }]);
  });

  it('lengths in whole blocks', () => {
    expectIssue(
      file('8KiB', 'offset: 0, length: 6000, type: mapped', 'offset: 6000, length: 2192, type: hole'),
      {
        at: ['type: mapped', '6000'],
        path: 'files[0].extents[0].length',
        expected: 'a non-zero multiple of 4KiB (whole blocks, F1)',
      },
    );
  });

  it('sectors: aligned, past the superblock, inside the device, not on holes, not shared', () => {
    const one = (extent: string) => file('4KiB', extent);
    expectIssue(one('offset: 0, length: 4KiB, type: mapped, sector: 9'), {
      at: '9',
      path: 'files[0].extents[0].sector',
      expected: 'a multiple of 8 (a 4KiB-aligned sector)',
    });
    expectIssue(one('offset: 0, length: 4KiB, type: mapped, sector: 0'), {
      at: ['sector', '0 }'],
      path: 'files[0].extents[0].sector',
      expected: /superblock/,
    });
    expectIssue(one('offset: 0, length: 4KiB, type: hole, sector: 8'), {
      at: '8 }',
      path: 'files[0].extents[0].sector',
      expected: 'no sector on a hole extent',
    });
    expectIssue(one('offset: 0, length: 4KiB, type: mapped, sector: 0x8000000'), {
      at: '0x8000000',
      path: 'files[0].extents[0].sector',
      expected: /ends inside the device \(64GiB\)/,
    });
    const shared = file(
      '8KiB',
      'offset: 0, length: 4KiB, type: mapped, sector: 8',
      'offset: 4KiB, length: 4KiB, type: unwritten, sector: 8',
    );
    expectIssue(shared, {
      at: ['unwritten', '8 }'],
      path: 'files[0].extents[1].sector',
      expected: 'a sector range not overlapping files[0].extents[0]',
    });
  });

  it('layout and extents together', () => {
    expectIssue(
      doc('files:', '  - path: f', '    size: 4KiB', '    layout: sparse', '    extents: []', 'tasks: []'),
      {
        at: '[]',
        path: 'files[0].extents',
        expected: 'either layout or extents, not both',
      },
    );
  });

  it('a non-zero fill only for small files', () => {
    expectIssue(
      doc('files:', '  - path: f', '    size: 1GiB', '    layout: allocated', '    fill: 1', 'tasks: []'),
      {
        at: ['fill', '1'],
        path: 'files[0].fill',
        expected: /fill 0 for a file with over 64MiB mapped/,
      },
    );
  });
});
