/**
 * Model-based properties: the loader's verdict on random scenarios agrees with small reference models
 * (after-graph cycles, extent coverage, mapping-name visibility, size forms through YAML).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ScenarioError } from '../../src/workload/scenario/error.js';
import { parseScenario } from '../../src/workload/scenario/parse.js';
import { formatSize, MAX_SIZE } from '../../src/workload/scenario/sizes.js';

const FILES = 'files: [{ path: data, size: 4MiB }]\n';

function outcome(text: string): ScenarioError | 'ok' {
  try {
    parseScenario(text, 'model.yaml');
    return 'ok';
  } catch (e) {
    if (e instanceof ScenarioError) return e;
    throw e;
  }
}

/** Kahn's algorithm: true when the "waits for" graph has a cycle. */
function hasCycle(after: number[][]): boolean {
  const indegree = after.map((deps) => deps.length);
  const dependants = after.map(() => [] as number[]);
  after.forEach((deps, i) => {
    for (const d of deps) dependants[d]?.push(i);
  });
  const ready = indegree.flatMap((n, i) => (n === 0 ? [i] : []));
  let done = 0;
  while (ready.length > 0) {
    const i = ready.pop() as number;
    done++;
    for (const j of dependants[i] ?? []) {
      indegree[j] = (indegree[j] ?? 0) - 1;
      if (indegree[j] === 0) ready.push(j);
    }
  }
  return done < after.length;
}

describe('after: cycles against Kahn’s algorithm', () => {
  const graph = fc
    .integer({ min: 1, max: 6 })
    .chain((n) => fc.array(fc.uniqueArray(fc.nat(n - 1), { maxLength: n }), { minLength: n, maxLength: n }));

  it('rejects exactly the cyclic graphs, naming a real cycle', () => {
    fc.assert(
      fc.property(graph, (after) => {
        const tasks = after.map(
          (deps, i) => `  - { name: t${i}, after: [${deps.map((d) => `t${d}`).join(', ')}], ops: [] }`,
        );
        const result = outcome(`${FILES}tasks:\n${tasks.join('\n')}\n`);
        expect(result === 'ok').toBe(!hasCycle(after));
        if (result === 'ok') return;
        expect(result.expected).toBe('no cycle in after');
        const names = result.got.split(' -> ').map((s) => Number(s.slice(1)));
        expect(names[0]).toBe(names[names.length - 1]);
        for (let k = 0; k + 1 < names.length; k++) {
          expect(after[names[k] as number]).toContain(names[k + 1]);
        }
      }),
    );
  });
});

describe('extents: coverage against a reference (F1)', () => {
  const PAGE = 4096;
  const extentList = fc.array(
    fc.record({
      offset: fc.nat(12).map((p) => p * PAGE),
      pages: fc.nat(4),
      type: fc.constantFrom('mapped', 'hole'),
    }),
    { maxLength: 5 },
  );

  it('accepts exactly the in-order, whole-block lists that end at the page-rounded size', () => {
    fc.assert(
      fc.property(fc.nat(12 * PAGE), extentList, fc.boolean(), (size, raw, contiguous) => {
        let next = 0;
        const extents = raw.map((e) => {
          const offset = contiguous ? next : e.offset;
          next = offset + e.pages * PAGE;
          return { offset, length: e.pages * PAGE, type: e.type };
        });
        let end = 0;
        let valid = true;
        for (const e of extents) {
          if (e.offset !== end || e.length === 0) valid = false;
          end = e.offset + e.length;
        }
        valid &&= end === Math.ceil(size / PAGE) * PAGE;
        const body = extents.map((e) => `{ offset: ${e.offset}, length: ${e.length}, type: ${e.type} }`);
        const result = outcome(
          `files: [{ path: f, size: ${size}, extents: [${body.join(', ')}] }]\ntasks: []\n`,
        );
        expect(result === 'ok' ? 'ok' : result.path).toEqual(
          valid ? 'ok' : expect.stringMatching(/^files\[0\]\.extents/),
        );
      }),
    );
  });
});

describe('mapping names: scope and visibility against a reference', () => {
  type ModelOp = { kind: 'mmap' | 'munmap' | 'read'; name: string };
  const op = fc.record({
    kind: fc.constantFrom('mmap', 'munmap', 'read'),
    name: fc.constantFrom('m', 'a', 'b'),
  });
  const tasks = fc.array(fc.array(op, { maxLength: 4 }), { minLength: 1, maxLength: 3 }) as fc.Arbitrary<
    ModelOp[][]
  >;

  /** The first bad path in document order, per check-names.ts's rules. */
  function firstError(model: ModelOp[][]): string | undefined {
    const declared = new Set(['m']);
    for (const [i, ops] of model.entries()) {
      const visible = new Set(['m']);
      for (const [j, o] of ops.entries()) {
        if (o.kind === 'mmap') {
          if (declared.has(o.name)) return `tasks[${i}].ops[${j}].mmap.name`;
          declared.add(o.name);
          visible.add(o.name);
        } else if (!visible.has(o.name)) {
          return `tasks[${i}].ops[${j}].${o.kind}.map`;
        }
      }
    }
    return undefined;
  }

  function render(o: ModelOp): string {
    if (o.kind === 'mmap') return `{ mmap: { name: ${o.name}, file: data, offset: 0, length: 4KiB } }`;
    if (o.kind === 'munmap') return `{ munmap: { map: ${o.name} } }`;
    return `{ read: { map: ${o.name}, offset: 0, length: 1 } }`;
  }

  it('reports the first misuse the reference finds, and accepts the rest', () => {
    fc.assert(
      fc.property(tasks, (model) => {
        const lines = model.map((ops, i) => `  - { name: t${i}, ops: [${ops.map(render).join(', ')}] }`);
        const text = `${FILES}processes: [{ name: p, mappings: [{ name: m, file: data, offset: 0, length: 4KiB }] }]\ntasks:\n${lines.join('\n')}\n`;
        const result = outcome(text);
        expect(result === 'ok' ? undefined : result.path).toBe(firstError(model));
      }),
    );
  });
});

describe('sizes through YAML and JSON: every form of n parses back to n', () => {
  it('decimal, quoted decimal, YAML hex, quoted hex and unit forms (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_SIZE }), (n) => {
        const hex = `0x${n.toString(16)}`;
        for (const form of [`${n}`, `"${n}"`, hex, `"${hex}"`, formatSize(n), `"${formatSize(n)}"`]) {
          const s = parseScenario(
            `${FILES}tasks: [{ name: t, ops: [{ truncate: { file: data, size: ${form} } }] }]\n`,
            'x.yaml',
          );
          expect(s.tasks[0]?.ops[0]).toMatchObject({ kind: 'truncate', size: n });
        }
      }),
      { numRuns: 200 },
    );
  });
});
