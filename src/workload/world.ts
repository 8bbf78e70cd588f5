/**
 * The World: one whole simulated machine (design.md) built from a plain options object:
 * the pmem device, the iomap filesystem and its files, physical memory, processes with
 * their VMAs and page tables, the runtime that interleaves kernel tasks, and the counters.
 *
 * Invariants: building a World is deterministic and cheap (the checker builds one per
 * execution); every piece of model state lives here, nothing in module globals; the World
 * is the `DaxEnv` the DAX code runs against. Nothing may keep a finished World reachable from outside: a
 * module-level WeakMap entry, or an arrow from the constructor stored on a model object, was
 * measured (Node 20, issue 7) to keep every World alive through young-generation GCs.
 */
import { PmemDevice } from '../block/pmem.js';
import { AddressSpace } from '../dax/address-space.js';
import type { DaxEnv } from '../dax/env.js';
import { isModelFlag, MutationFlags } from '../dax/mutation-flags.js';
import { daxVmOps } from '../dax/vm-ops.js';
import type { ExtentSpec, FileLayout } from '../fs/iomap.js';
import { IomapFs } from '../fs/iomap-fs.js';
import { PhysMem } from '../mm/phys.js';
import { Process } from '../mm/process.js';
import type { Vma } from '../mm/vma.js';
import { VmCounters } from '../mm/vmstat.js';
import { FaultInjector, type InjectRule } from '../sim/fault-injector.js';
import { instrumentFootprint } from '../sim/footprint.js';
import { Prng } from '../sim/prng.js';
import { RandomScheduler } from '../sim/random-scheduler.js';
import { Runtime } from '../sim/runtime.js';
import type { Scheduler } from '../sim/scheduler.js';
import { Trace } from '../sim/trace.js';
import { WaitTable } from '../sim/wait-table.js';
import { mmapRegion } from '../syscalls/mmap.js';
import { switchMutation } from '../version/bug-overrides.js';
import { type Kernel, KernelConfigError, resolveKernel, type SwitchOverrides } from '../version/kernel.js';
import { SetupError, setupStep } from './setup-error.js';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

/** A file at setup (scenario `files[]`). */
export interface WorldFile {
  path: string;
  sizeBytes: number;
  /** Ignored when `extents` is given (a normalised scenario then says 'sparse'). */
  layout?: FileLayout;
  extents?: ExtentSpec[];
  fill?: number;
}

/** A mapping at setup or from an `mmap` op (scenario `mappings[]`). */
export interface WorldMapping {
  name: string;
  file: string;
  offset: number;
  length: number;
  shared?: boolean;
  address?: 'auto' | number;
}

/** Everything a World is built from; every key has a default but `files`. */
export interface WorldOptions {
  device?: { sizeBytes?: number; baseAlignBytes?: number; devmap?: boolean };
  fs?: {
    allocAlignBytes?: number;
    extentHintBytes?: number;
    freeSpaceBytes?: number;
    /** W3, overriding the profile's `dirty-clear` switch: keep-dirty = keep, clean-dirty = clean. */
    writeback?: 'keep-dirty' | 'clean-dirty';
  };
  files: WorldFile[];
  processes?: { name: string; mappings?: WorldMapping[] }[];
  /** The kernel profile (version/profiles.ts; default `fixed`). */
  profile?: string;
  /** Switch overrides on top of the profile (`dirty-clear: keep`, `review-fixes/eexist-wake: off`). */
  switches?: SwitchOverrides;
  /**
   * Mutations: named kernel bugs and `SWITCH=VALUE` become switch overrides, the rest must be
   * model flags (`OPERATOR@SITE`, MODEL_FLAGS); anything else is refused (KernelConfigError).
   */
  mutations?: readonly string[];
  inject?: readonly InjectRule[];
  /** Seeds the scheduler and every other random choice (S6). */
  seed?: number;
  /** Record trace events (S5). */
  trace?: boolean;
  /** Overrides the seeded random scheduler (the checker's explorers). */
  scheduler?: Scheduler;
  /** Overrides the injector built from `inject` (the explorer's choice mode). */
  injector?: FaultInjector;
  maxSteps?: number;
  /**
   * Elide scheduling points where no other task could run (default true). False keeps every
   * point a step, so a per-step check also sees a lone task's intermediate states.
   */
  elideForcedPoints?: boolean;
  /**
   * Record per-step footprints for the explorer's sleep sets (X1; default false): the runtime
   * records them, and the shared model objects are instrumented in place to touch their key.
   */
  footprints?: boolean;
}

/**
 * Block allocation happens inside iomapBegin, between scheduling points: rules apply, choices
 * do not. Built here rather than as an arrow in the constructor: measured on Node 20 (issue
 * 7), an arrow closing over the World's `this` kept every World alive through young GCs.
 */
function blockAllocHook(rt: Runtime): () => boolean {
  return () => {
    rt.touch('inj');
    return rt.injector.shouldFail('block-alloc');
  };
}

/** What mutation `name` is: switch overrides (a named bug or SWITCH=VALUE), a model flag, or neither. */
function mutationKind(name: string): { overrides: SwitchOverrides } | { flag: string } | undefined {
  const overrides = switchMutation(name);
  if (overrides !== undefined) return { overrides };
  return isModelFlag(name) ? { flag: name } : undefined;
}

function unknownMutation(name: string): string {
  return `unknown mutation '${name}': see \`daxsim mutations\` (or write SWITCH=VALUE)`;
}

/**
 * Why `name` is not a mutation a World accepts under `profile` (a named bug, `SWITCH=VALUE`
 * with a known switch and value, or a model flag), or null when it is.
 */
export function mutationProblem(name: string, profile?: string): string | null {
  const kind = mutationKind(name);
  if (kind === undefined) return unknownMutation(name);
  if ('flag' in kind) return null;
  try {
    resolveKernel(profile, kind.overrides);
    return null;
  } catch (e) {
    if (e instanceof KernelConfigError) return e.message;
    throw e;
  }
}

/**
 * The kernel a World runs and its model flags: the profile, then the mutations that are switch
 * overrides, then explicit overrides and the scenario's writeback rule (W3).
 */
function kernelOf(opts: WorldOptions): {
  kernel: Kernel;
  flags: string[];
  overrides: Record<string, string>;
} {
  const overrides: Record<string, string> = {};
  const flags: string[] = [];
  for (const name of opts.mutations ?? []) {
    const kind = mutationKind(name);
    if (kind === undefined) throw new KernelConfigError(unknownMutation(name));
    if ('flag' in kind) flags.push(kind.flag);
    else Object.assign(overrides, kind.overrides);
  }
  Object.assign(overrides, opts.switches ?? {});
  const wb = opts.fs?.writeback;
  if (wb !== undefined) overrides['dirty-clear'] = wb === 'keep-dirty' ? 'keep' : 'clean';
  return { kernel: resolveKernel(opts.profile, overrides), flags, overrides };
}

/** The simulated machine. */
export class World implements DaxEnv {
  readonly rt: Runtime;
  readonly waitTable: WaitTable;
  readonly dev: PmemDevice;
  readonly fs: IomapFs;
  readonly phys: PhysMem;
  readonly counters = new VmCounters();
  readonly mut: MutationFlags;
  readonly kernel: Kernel;
  /** The mutations asked for, as given (switch overrides and model flags alike). */
  readonly mutations: readonly string[];
  /** Switch values set on top of the profile (by mutations, options or the writeback rule). */
  readonly overrides: Readonly<Record<string, string>>;
  /** The PRNG for model choices that are not scheduling (crash line loss). */
  readonly prng: Prng;
  readonly seed: number;
  readonly files = new Map<string, AddressSpace>();
  readonly processes = new Map<string, Process>();

  constructor(opts: WorldOptions) {
    this.seed = opts.seed ?? 1;
    this.prng = new Prng(this.seed ^ 0x5eed);
    const trace = opts.trace ? new Trace(true) : Trace.disabled();
    const injector = opts.injector ?? new FaultInjector(opts.inject ?? [], new Prng(this.seed ^ 0x1f));
    this.rt = new Runtime({
      scheduler: opts.scheduler ?? new RandomScheduler(this.seed),
      injector,
      trace,
      ...(opts.maxSteps === undefined ? {} : { maxSteps: opts.maxSteps }),
      ...(opts.elideForcedPoints === undefined ? {} : { elideForcedPoints: opts.elideForcedPoints }),
      ...(opts.footprints === true ? { footprints: true } : {}),
    });
    this.waitTable = new WaitTable(this.rt);
    const d = opts.device ?? {};
    this.dev = setupStep(
      ['device', 'size'],
      'a device the model can hold',
      () =>
        new PmemDevice({
          sizeBytes: d.sizeBytes ?? 64 * GiB,
          baseAlignBytes: d.baseAlignBytes ?? 2 * MiB,
          devmap: d.devmap ?? true,
        }),
    );
    const f = opts.fs ?? {};
    this.fs = setupStep(
      ['fs'],
      'a filesystem policy the model can hold',
      () =>
        new IomapFs(this.dev, {
          allocAlignBytes: f.allocAlignBytes ?? 2 * MiB,
          extentHintBytes: f.extentHintBytes ?? 2 * MiB,
          freeSpaceBytes: f.freeSpaceBytes ?? this.dev.sizeBytes,
        }),
    );
    this.fs.blockAllocHook = blockAllocHook(this.rt);
    this.phys = new PhysMem({ device: this.dev });
    const { kernel, flags, overrides } = kernelOf(opts);
    this.kernel = kernel;
    this.mutations = [...(opts.mutations ?? [])];
    this.overrides = overrides;
    this.mut = new MutationFlags(flags);
    const ops = daxVmOps(this);
    for (const [i, file] of opts.files.entries()) {
      const inode = setupStep(['files', i, 'size'], 'a file the device and fs.freeSpace can hold', () =>
        this.fs.createFile(file.path, {
          size: file.sizeBytes,
          ...(file.layout === undefined || file.extents !== undefined ? {} : { layout: file.layout }),
          ...(file.extents === undefined ? {} : { extents: file.extents }),
          ...(file.fill === undefined ? {} : { fill: file.fill }),
        }),
      );
      const mapping = new AddressSpace(this.rt, inode, this.files.size + 1);
      mapping.vmOps = ops;
      this.files.set(file.path, mapping);
    }
    this.mapInitial(opts.processes ?? [{ name: 'p', mappings: [] }]);
    if (opts.footprints === true) this.instrumentFootprints();
  }

  /** The processes and their initial mappings; a mapping mmap refuses is a SetupError. */
  private mapInitial(procs: NonNullable<WorldOptions['processes']>): void {
    for (const [i, p] of procs.entries()) {
      const proc = new Process(this.rt, this.processes.size + 1, p.name);
      this.processes.set(p.name, proc);
      for (const [j, m] of (p.mappings ?? []).entries()) {
        const vma = mmapRegion(proc, this.file(m.file), m);
        if (typeof vma !== 'string') continue;
        const why =
          vma === 'EINVAL' && m.address !== 'auto' && m.address !== undefined
            ? 'EINVAL (the range overlaps an earlier mapping of the process)'
            : `${vma} from mmap`;
        const key = m.address !== 'auto' && m.address !== undefined ? 'address' : 'length';
        throw new SetupError(['processes', i, 'mappings', j, key], 'a mapping the process has room for', why);
      }
    }
  }

  /**
   * X1 footprint keys, over-approximating (a read counts as a write): each mapping's tree,
   * counters and rmap are `tree:<id>`; each process's mm, page table and VMA list `pt:<name>`;
   * the filesystem, its inodes, the device and physical memory share `fs` (they reference
   * each other internally, so one key keeps that sound).
   */
  private instrumentFootprints(): void {
    const rt = this.rt;
    for (const obj of [this.fs, this.dev, this.phys]) instrumentFootprint(obj, rt, 'fs');
    for (const m of this.files.values()) {
      const key = `tree:${m.id}`;
      instrumentFootprint(m.host, rt, 'fs');
      instrumentFootprint(m.tree, rt, key);
      instrumentFootprint(m.rmap, rt, key);
      instrumentFootprint(m, rt, key);
    }
    for (const p of this.processes.values()) {
      const key = `pt:${p.name}`;
      instrumentFootprint(p.mm.pageTable, rt, key);
      instrumentFootprint(p.mm, rt, key);
      instrumentFootprint(p, rt, key);
    }
  }

  /** The file's address_space; throws for an unknown path (a scenario bug caught at load). */
  file(path: string): AddressSpace {
    const m = this.files.get(path);
    if (m === undefined) throw new Error(`no file ${path}`);
    return m;
  }

  /** The named process; throws when unknown. */
  process(name: string): Process {
    const p = this.processes.get(name);
    if (p === undefined) throw new Error(`no process ${name}`);
    return p;
  }

  /** The mapping named `name` in `proc`, if mapped. */
  vma(proc: Process, name: string): Vma<AddressSpace> | undefined {
    return proc.mm.findVmaByName(name);
  }
}
