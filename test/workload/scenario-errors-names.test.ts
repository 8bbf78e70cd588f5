/** Bad names that check-names.ts rejects: references, duplicates and `after` cycles. */
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/workload/scenario/parse.js';
import { doc, expectIssue, withFiles } from './scenario-expect-issue.js';

describe('names: references, duplicates, after cycles', () => {
  const P = 'processes: [{ name: p, mappings: [{ name: m, file: data, offset: 0, length: 4MiB }] }]';

  it('unknown file reference (mapping and op)', () => {
    const badMapping =
      'processes: [{ name: p, mappings: [{ name: m, file: nope, offset: 0, length: 4KiB }] }]';
    expectIssue(withFiles(badMapping, 'tasks: []'), {
      at: 'nope',
      path: 'processes[0].mappings[0].file',
      expected: 'a file path from files (data)',
      got: 'nope',
    });
    expectIssue(withFiles('tasks: [{ name: t, ops: [{ fsync: { file: dat } }] }]'), {
      at: 'dat ',
      path: 'tasks[0].ops[0].fsync.file',
      expected: 'a file path from files (data)',
      got: 'dat',
    });
  });

  it('unknown map reference, and the mmap visibility rule', () => {
    const tasks = (...lines: string[]) => withFiles(P, 'tasks:', ...lines);
    expectIssue(tasks('  - name: t', '    ops:', '      - read: { map: q, offset: 0, length: 1 }'), {
      at: 'q,',
      path: 'tasks[0].ops[0].read.map',
      expected: 'a mapping of the process or of an earlier mmap op of this task (m)',
      got: 'q',
    });
    const usedBeforeMmap = tasks(
      '  - name: t',
      '    ops:',
      '      - munmap: { map: m2 }',
      '      - mmap: { name: m2, file: data, offset: 0, length: 4KiB }',
    );
    expectIssue(usedBeforeMmap, {
      at: ['munmap', 'm2'],
      path: 'tasks[0].ops[0].munmap.map',
      expected: /earlier mmap op of this task \(m\)/,
    });
    const otherTask = tasks(
      '  - name: a',
      '    ops: [{ mmap: { name: m2, file: data, offset: 0, length: 4KiB } }]',
      '  - name: b',
      '    ops: [{ munmap: { map: m2 } }]',
    );
    expectIssue(otherTask, {
      at: ['munmap', 'm2'],
      path: 'tasks[1].ops[0].munmap.map',
      got: 'm2',
      expected: /\(m\)$/,
    });
    const sameTaskEarlier = tasks(
      '  - name: t',
      '    ops:',
      '      - mmap: { name: m2, file: data, offset: 0, length: 4KiB }',
      '      - munmap: { map: m2 }',
    );
    expect(parseScenario(sameTaskEarlier, 'x.yaml').tasks[0]?.ops.map((o) => o.kind)).toEqual([
      'mmap',
      'munmap',
    ]);
  });

  it('unknown process reference', () => {
    expectIssue(withFiles(P, 'tasks: [{ name: t, process: q, ops: [] }]'), {
      at: 'q,',
      path: 'tasks[0].process',
      expected: 'a process from processes (p)',
      got: 'q',
    });
    expectIssue(withFiles('tasks: [{ name: t, process: q, ops: [] }]'), {
      at: 'q,',
      path: 'tasks[0].process',
      expected: 'a process from processes (p)',
    });
  });

  it('unknown task reference (after, expect.tasks)', () => {
    expectIssue(withFiles('tasks: [{ name: t, after: [setup], ops: [] }]'), {
      at: 'setup',
      path: 'tasks[0].after[0]',
      expected: 'a task name (t)',
      got: 'setup',
    });
    expectIssue(withFiles('tasks: [{ name: t, ops: [] }]', 'expect: { tasks: { t2: done } }'), {
      at: 't2',
      path: 'expect.tasks.t2',
      expected: 'a task name (t)',
      got: '"t2"',
    });
  });

  it('duplicate names: files, processes, tasks, mappings (initial and mmap), after entries', () => {
    expectIssue(
      doc('files:', '  - { path: data, size: 4KiB }', '  - { path: data, size: 8KiB }', 'tasks: []'),
      {
        at: ['8KiB', 'data'],
        path: 'files[1].path',
        expected: 'a unique file path (files[0].path has "data")',
        got: 'data',
      },
    );
    expectIssue(withFiles('processes: [{ name: p }, { name: p }]', 'tasks: []'), {
      at: ['processes', 'p }]'],
      path: 'processes[1].name',
      expected: 'a unique process name (processes[0].name has "p")',
    });
    expectIssue(withFiles('tasks:', '  - { name: t, ops: [] }', '  - { name: t, after: [], ops: [] }'), {
      at: ['after', 't,'],
      path: 'tasks[1].name',
      expected: 'a unique task name (tasks[0].name has "t")',
    });
    expectIssue(
      withFiles(P, 'tasks: [{ name: t, ops: [{ mmap: { name: m, file: data, offset: 0, length: 4KiB } }] }]'),
      {
        at: ['mmap', 'm, file'],
        path: 'tasks[0].ops[0].mmap.name',
        expected: 'a unique mapping name in process p (processes[0].mappings[0].name has "m")',
      },
    );
    expectIssue(withFiles('tasks: [{ name: a, ops: [] }, { name: t, after: [a, a], ops: [] }]'), {
      at: 'a]',
      path: 'tasks[1].after[1]',
      expected: 'a unique task in after (tasks[1].after[0] has "a")',
    });
  });

  it('after cycles: reported on the edge that closes the cycle', () => {
    expectIssue(withFiles('tasks: [{ name: t, after: [t], ops: [] }]'), {
      at: 't]',
      path: 'tasks[0].after[0]',
      expected: 'no cycle in after',
      got: 't -> t',
    });
    const three = withFiles(
      'tasks:',
      '  - { name: a, after: [b], ops: [] }',
      '  - { name: b, after: [c], ops: [] }',
      '  - { name: c, after: [a], ops: [] }',
    );
    expectIssue(three, {
      at: ['name: c', 'a]'],
      path: 'tasks[2].after[0]',
      expected: 'no cycle in after',
      got: 'a -> b -> c -> a',
    });
  });
});
