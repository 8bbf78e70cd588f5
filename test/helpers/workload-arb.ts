/**
 * fast-check arbitraries of random scenarios (scenario-format.md) for the model-based
 * properties: one or two small files, shared and private mappings at colour-matched (auto)
 * or explicit, possibly misaligned addresses, and tasks drawing ops from read, write, touch,
 * pread, pwrite, fsync, msync, truncate, punch and fallocate.
 *
 * Invariants: every generated text parses (offsets page aligned where the format asks,
 * accesses inside their mapping, explicit addresses far apart so mappings never overlap);
 * sizes stay small (a few MiB, touch strides of at least 64 KiB) so a run is a few hundred
 * steps; the YAML is what fast-check prints on failure, so a counterexample is a scenario
 * file that `daxsim run` replays.
 */
import fc from 'fast-check';

const KiB = 1024;
const MiB = 1024 * KiB;

/** A file of the workload. */
export interface FileW {
  readonly path: string;
  readonly size: number;
  readonly layout: 'allocated' | 'sparse' | 'unwritten';
  readonly fill: number;
}

/** A mapping of the workload. */
export interface MapW {
  readonly name: string;
  readonly file: string;
  readonly offset: number;
  readonly length: number;
  readonly shared: boolean;
  /** 'auto', or an explicit address (possibly off the file offset's colour). */
  readonly address: 'auto' | number;
}

/**
 * Whether generated workloads may trigger the kernel behaviours docs/findings.md records as
 * invariant violations of the radix-era kernels themselves (every profile has them):
 * - F-1/F-2: a truncate or punch that covers part of a 2 MiB entry deletes it whole (its other
 *   4 KiB mappings survive, V4; its dirty data is no longer tracked, V6);
 * - F-4: blocks allocated past the bytes a write covers (2 MiB allocation, extent hints) stay
 *   under hole pages and zero entries that a later write(2) does not invalidate (V5).
 * 'avoid' keeps truncate and punch on 2 MiB boundaries and allocation to what is written, so a
 * property over these workloads asks "no violation the kernel does not have".
 */
export type KernelFindings = 'avoid' | 'allow';

/** A workload: files, processes with mappings, tasks with ops (YAML flow items). */
export interface Workload {
  readonly fs: { allocAlign: number; extentHint: number; writeback: 'keep-dirty' | 'clean-dirty' };
  readonly files: readonly FileW[];
  readonly processes: readonly { name: string; mappings: readonly MapW[] }[];
  readonly tasks: readonly { name: string; process: string; after?: string[]; ops: readonly string[] }[];
}

const hex = (n: number): string => `0x${n.toString(16)}`;

const fileArb = (path: string): fc.Arbitrary<FileW> =>
  fc.record({
    path: fc.constant(path),
    size: fc.oneof(
      { weight: 3, arbitrary: fc.constant(4 * MiB) },
      { weight: 2, arbitrary: fc.constantFrom(2 * MiB, 3 * MiB + 0x10) },
      { weight: 1, arbitrary: fc.constantFrom(0, 0x1000, 1 * MiB + 0x800) },
    ),
    layout: fc.constantFrom('allocated' as const, 'sparse' as const, 'unwritten' as const),
    fill: fc.constantFrom(0, 0x5a),
  });

/** Mappings of one process; explicit addresses sit 256 MiB apart from `base`. */
const mappingsArb = (files: readonly FileW[], prefix: string, base: number): fc.Arbitrary<MapW[]> =>
  fc
    .array(
      fc.record({
        file: fc.constantFrom(...files.map((f) => f.path)),
        offset: fc.constantFrom(0, 0, 0, 1 * MiB, 2 * MiB),
        length: fc.constantFrom(1 * MiB, 2 * MiB, 2 * MiB, 4 * MiB, 4 * MiB),
        shared: fc.oneof(
          { weight: 3, arbitrary: fc.constant(true) },
          { weight: 1, arbitrary: fc.constant(false) },
        ),
        colour: fc.oneof(
          { weight: 3, arbitrary: fc.constant('auto' as const) },
          { weight: 1, arbitrary: fc.constantFrom(0, 0x1000, 0x100000) },
        ),
      }),
      { minLength: 1, maxLength: 3 },
    )
    .map((ms) =>
      ms.map((m, i) => ({
        name: `${prefix}${i}`,
        file: m.file,
        offset: m.offset,
        length: m.length,
        shared: m.shared,
        address: m.colour === 'auto' ? ('auto' as const) : base + i * 256 * MiB + m.colour,
      })),
    );

const dataArb = fc
  .uint8Array({ minLength: 1, maxLength: 24 })
  .map((b) => `"0x${Buffer.from(b).toString('hex')}"`);
const fileOffsetArb = fc.oneof(
  fc.integer({ min: 0, max: 1279 }).map((p) => p * 0x1000),
  fc.integer({ min: 0, max: 5 * MiB - 1 }),
  fc.constantFrom(0x1ff000, 0x200000, 0x201000, 0x3ff000),
);

/** An offset inside mapping `m`, mostly inside the part its file (at setup size) backs. */
function mapOffsetArb(m: MapW, files: readonly FileW[]): fc.Arbitrary<number> {
  const size = files.find((f) => f.path === m.file)?.size ?? 0;
  const backed = Math.min(m.length, Math.max(0, size - m.offset));
  const anywhere = fc.integer({ min: 0, max: m.length - 1 });
  if (backed === 0) return anywhere;
  return fc.oneof(
    { weight: 4, arbitrary: fc.integer({ min: 0, max: backed - 1 }) },
    { weight: 1, arbitrary: anywhere },
  );
}

/** One op over the given mappings and files. */
function opArb(
  maps: readonly MapW[],
  files: readonly FileW[],
  findings: KernelFindings,
): fc.Arbitrary<string> {
  const map = fc.constantFrom(...maps);
  const file = fc.constantFrom(...files.map((f) => f.path));
  const inMap = (m: MapW, maxLen: number) =>
    fc
      .tuple(mapOffsetArb(m, files), fc.integer({ min: 1, max: maxLen }))
      .map(([o, n]) => [o, Math.min(n, m.length - o)] as const);
  const access = map.chain((m) =>
    fc.oneof(
      inMap(m, 64).map(([o, n]) => `read: { map: ${m.name}, offset: ${hex(o)}, length: ${n} }`),
      fc
        .tuple(mapOffsetArb(m, files), dataArb)
        .map(([o, d]) => `write: { map: ${m.name}, offset: ${hex(Math.min(o, m.length - 24))}, data: ${d} }`),
      fc
        .tuple(fc.constantFrom(64 * KiB, 256 * KiB, 1 * MiB), fc.constantFrom('read', 'write'))
        .map(
          ([s, a]) =>
            `touch: { map: ${m.name}, offset: 0, length: ${hex(m.length)}, stride: ${hex(s)}, access: ${a} }`,
        ),
      fc.constant(`msync: { map: ${m.name} }`),
      fc
        .integer({ min: 0, max: m.length / 0x1000 - 1 })
        .map((p) => `msync: { map: ${m.name}, offset: ${hex(p * 0x1000)}, length: 0x1000 }`),
    ),
  );
  const syscall = file.chain((f) =>
    fc.oneof(
      fc
        .tuple(fileOffsetArb, fc.integer({ min: 1, max: 64 }))
        .map(([o, n]) => `pread: { file: ${f}, offset: ${hex(o)}, length: ${n} }`),
      fc
        .tuple(fileOffsetArb, dataArb)
        .map(([o, d]) => `pwrite: { file: ${f}, offset: ${hex(o)}, data: ${d} }`),
      fc.constant(`fsync: { file: ${f} }`),
      (findings === 'allow'
        ? fc.constantFrom(0, 1 * MiB + 0x800, 2 * MiB, 3 * MiB, 3 * MiB + 0x1801, 4 * MiB, 5 * MiB)
        : fc.constantFrom(0, 2 * MiB, 4 * MiB)
      ).map((s) => `truncate: { file: ${f}, size: ${hex(s)} }`),
      (findings === 'allow'
        ? fc.tuple(fileOffsetArb, fc.constantFrom(0x800, 0x1000, 0x3000, 2 * MiB))
        : fc.tuple(fc.constantFrom(0, 2 * MiB), fc.constant(2 * MiB))
      ).map(([o, n]) => `punch: { file: ${f}, offset: ${hex(o)}, length: ${hex(n)} }`),
      fc
        .tuple(fileOffsetArb, fc.constantFrom(0x1000, 1 * MiB, 2 * MiB))
        .map(([o, n]) => `fallocate: { file: ${f}, offset: ${hex(o)}, length: ${hex(n)} }`),
    ),
  );
  return fc.oneof({ weight: 3, arbitrary: access }, { weight: 2, arbitrary: syscall });
}

/**
 * A workload of `tasks` tasks, `maxOps` ops each. Two tasks run either in processes p and q
 * or as two threads of p (sharing its page table, where 2 MiB and 4 KiB faults collide).
 * Reads may span pages and scheduling points (read(2) too): the data oracle accepts, for a
 * byte, the latest write completed before the read began or any write completed during it.
 */
export function workloadArb(
  tasks: 1 | 2,
  maxOps: number,
  findings: KernelFindings = 'avoid',
): fc.Arbitrary<Workload> {
  const alloc = findings === 'allow' ? fc.constantFrom(4 * KiB, 2 * MiB) : fc.constant(4 * KiB);
  return fc
    .record({
      fs: fc.record({
        allocAlign: alloc,
        extentHint: alloc,
        writeback: fc.constantFrom('keep-dirty' as const, 'clean-dirty' as const),
      }),
      files: fc.oneof(
        fileArb('f0').map((f) => [f]),
        fc.tuple(fileArb('f0'), fileArb('f1')),
      ),
      threads: tasks === 2 ? fc.boolean() : fc.constant(false),
    })
    .chain(({ fs, files, threads }) => {
      const procNames = tasks === 1 || threads ? ['p'] : ['p', 'q'];
      const taskProcs = tasks === 1 ? ['p'] : threads ? ['p', 'p'] : ['p', 'q'];
      return fc
        .tuple(...procNames.map((p, i) => mappingsArb(files, `${p}m`, 0x100000000 + i * 4096 * MiB)))
        .chain((maps) => {
          const mapsOf = (proc: string) => maps[procNames.indexOf(proc)]!;
          return fc
            .tuple(
              ...taskProcs.map((p) =>
                fc.array(opArb(mapsOf(p), files, findings), { minLength: 1, maxLength: maxOps }),
              ),
            )
            .map((ops) => ({
              fs,
              files,
              processes: procNames.map((name, i) => ({ name, mappings: maps[i]! })),
              tasks: taskProcs.map((process, i) => ({ name: `t${i + 1}`, process, ops: ops[i]! })),
            }));
        });
    });
}

/** The workload with a last task, after all others, that fsyncs every file and then crashes (V6). */
export function withFsyncAndCrash(w: Workload): Workload {
  const after = w.tasks.map((t) => t.name);
  const ops = [...w.files.map((f) => `fsync: { file: ${f.path} }`), 'crash: { lose: all }'];
  return { ...w, tasks: [...w.tasks, { name: 'syncer', process: 'p', after, ops }] };
}

/** The workload as a scenario file. */
export function workloadYaml(w: Workload): string {
  const fs = `fs: { allocAlign: ${hex(w.fs.allocAlign)}, extentHint: ${hex(w.fs.extentHint)}, writeback: ${w.fs.writeback} }`;
  const lines = [fs, 'files:'];
  for (const f of w.files) {
    lines.push(`  - { path: ${f.path}, size: ${hex(f.size)}, layout: ${f.layout}, fill: ${f.fill} }`);
  }
  lines.push('processes:');
  for (const p of w.processes) {
    lines.push(`  - name: ${p.name}`, '    mappings:');
    for (const m of p.mappings) {
      const address = m.address === 'auto' ? 'auto' : `"${hex(m.address)}"`;
      lines.push(
        `      - { name: ${m.name}, file: ${m.file}, offset: ${hex(m.offset)}, length: ${hex(m.length)}, shared: ${m.shared}, address: ${address} }`,
      );
    }
  }
  lines.push('tasks:');
  for (const t of w.tasks) {
    lines.push(`  - name: ${t.name}`, `    process: ${t.process}`);
    if (t.after !== undefined) lines.push(`    after: [${t.after.join(', ')}]`);
    lines.push('    ops:', ...t.ops.map((o) => `      - ${o}`));
  }
  return `${lines.join('\n')}\n`;
}
