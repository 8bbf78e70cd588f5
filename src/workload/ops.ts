/**
 * Running a task's ops (scenario-format.md): each op is a workload step (a scheduling point,
 * S1), each user access goes through the page tables (D1), each system call through the
 * filesystem's locks. A task ends at its last op, or at the first access that raises a
 * signal (SIGBUS, SIGSEGV, OOM).
 *
 * Invariants: an op's mismatch against `equals` or `errno` is an expect failure, never a
 * thrown error; the observer hears about every completed read and write in program order.
 */
import type { AddressSpace } from '../dax/address-space.js';
import type { Errno } from '../lib/errno.js';
import { userAccess } from '../mm/access.js';
import type { Process } from '../mm/process.js';
import { PAGE_SIZE } from '../mm/units.js';
import type { Vma } from '../mm/vma.js';
import type { K } from '../sim/types.js';
import { xfsAllocFileSpace, xfsFreeFileSpace } from '../syscalls/fallocate.js';
import { LAST_BYTE, msyncRange, sysMsync, xfsFileFsync } from '../syscalls/fsync.js';
import { vmMmap, vmMunmap } from '../syscalls/mmap.js';
import { xfsFileReadIter, xfsFileWriteIter } from '../syscalls/read-write.js';
import { xfsSetattrSize } from '../syscalls/truncate.js';
import type { WorkloadObserver } from './observer.js';
import type { Op, TaskSpec } from './scenario/types.js';
import type { World } from './world.js';

/** The scheduling point of each op (S1: each workload step), as interned constants. */
const OP_POINTS: Readonly<Record<Op['kind'], string>> = {
  read: 'op:read',
  write: 'op:write',
  touch: 'op:touch',
  pread: 'op:pread',
  pwrite: 'op:pwrite',
  fsync: 'op:fsync',
  msync: 'op:msync',
  truncate: 'op:truncate',
  punch: 'op:punch',
  fallocate: 'op:fallocate',
  mmap: 'op:mmap',
  munmap: 'op:munmap',
  crash: 'op:crash',
};

/** How a task ended (scenario `expect.tasks`). */
export type TaskOutcome = 'done' | 'SIGBUS' | 'SIGSEGV' | 'OOM' | 'blocked';

/** An `equals`/`errno`/count mismatch: reported, exit 1, not an invariant violation. */
export interface ExpectFailure {
  what: string;
  expected: string;
  found: string;
}

/** What the ops runner shares with the driver. */
export interface OpsContext {
  readonly world: World;
  readonly observer: WorkloadObserver | null;
  readonly expectFailures: ExpectFailure[];
  /** Called by a `crash` op: the machine stops after this step. */
  crash(lose: 'all' | 'random'): void;
  /** Told about touch accesses in batches of ACCESS_BATCH (progress only). */
  onAccesses?: (n: number) => void;
}

/** Touch accesses per `onAccesses` call. */
const ACCESS_BATCH = 0x10000;

function hexBytes(b: Uint8Array): string {
  return `0x${Buffer.from(b).toString('hex')}`;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.from(a).equals(Buffer.from(b));
}

/** The body of a scenario task: its ops in order. Returns how the task ended. */
export function* runTaskOps(ctx: OpsContext, spec: TaskSpec): K<TaskOutcome> {
  const proc = ctx.world.process(spec.process);
  const rt = ctx.world.rt;
  const user: UserMemory = { readBuffer: null };
  for (const op of spec.ops) {
    yield* rt.point(OP_POINTS[op.kind]);
    const r = yield* runOp(ctx, spec, proc, user, op);
    if (r !== 'ok') return r;
  }
  return 'done';
}

type OpResult = 'ok' | 'SIGBUS' | 'SIGSEGV' | 'OOM';

/**
 * A task's own user memory for read(2): one buffer, reused by each pread as a program reuses
 * its read buffer, so a read costs the copy and not a fresh allocation. Per task, because a
 * read may yield between extents while another task reads.
 */
interface UserMemory {
  readBuffer: Uint8Array | null;
}

function readBufferOf(user: UserMemory, length: number): Uint8Array {
  if (user.readBuffer === null || user.readBuffer.length < length) user.readBuffer = new Uint8Array(length);
  return user.readBuffer;
}

function* runOp(ctx: OpsContext, spec: TaskSpec, proc: Process, user: UserMemory, op: Op): K<OpResult> {
  const w = ctx.world;
  const where = `${spec.name}: line ${op.line}: ${op.kind}`;
  switch (op.kind) {
    case 'read':
    case 'write':
    case 'touch':
      return yield* accessOp(ctx, where, proc, op);
    case 'pread': {
      const file = w.file(op.file);
      const since = ctx.observer?.readBegin(file) ?? 0;
      const r = yield* xfsFileReadIter(w, file, op.offset, op.length, readBufferOf(user, op.length));
      if (typeof r === 'string') {
        checkErrno(ctx, where, op.errno, r);
        return 'ok';
      }
      checkErrno(ctx, where, op.errno, null);
      ctx.observer?.readDone(file, op.offset, r, { kind: 'syscall' }, since);
      if (op.equals !== undefined && !sameBytes(r, op.equals)) {
        ctx.expectFailures.push({
          what: `${where} equals`,
          expected: hexBytes(op.equals),
          found: hexBytes(r),
        });
      }
      return 'ok';
    }
    case 'pwrite': {
      const file = w.file(op.file);
      const token = ctx.observer?.writeBegin(file, op.offset, op.data.length);
      const r = yield* xfsFileWriteIter(w, file, op.offset, op.data);
      if (typeof r === 'number')
        ctx.observer?.writeDone(file, op.offset, op.data.subarray(0, r), { kind: 'syscall' });
      if (token !== undefined) ctx.observer?.rangeEnd(file, token);
      checkErrno(ctx, where, op.errno, typeof r === 'string' ? r : null);
      return 'ok';
    }
    case 'fsync': {
      const file = w.file(op.file);
      return yield* syncOp(ctx, where, file, 0, LAST_BYTE, op.errno, xfsFileFsync(w, file));
    }
    case 'msync': {
      const vma = w.vma(proc, op.map);
      if (vma === undefined) return 'SIGSEGV';
      const { start, end } = msyncRange(vma, op.offset, op.length);
      return yield* syncOp(
        ctx,
        where,
        vma.file,
        start,
        end,
        undefined,
        sysMsync(w, vma, op.offset, op.length),
      );
    }
    case 'truncate': {
      const file = w.file(op.file);
      const token = ctx.observer?.writeBegin(
        file,
        Math.min(op.size, file.host.size),
        Number.MAX_SAFE_INTEGER,
      );
      const r = yield* xfsSetattrSize(w, file, op.size);
      if (r === null) ctx.observer?.resized(file, op.size);
      if (token !== undefined) ctx.observer?.rangeEnd(file, token);
      checkErrno(ctx, where, op.errno, r);
      return 'ok';
    }
    case 'punch': {
      const file = w.file(op.file);
      const token = ctx.observer?.writeBegin(file, op.offset, op.length);
      const r = yield* xfsFreeFileSpace(w, file, op.offset, op.length);
      if (r === null)
        ctx.observer?.punched(file, op.offset, Math.max(0, Math.min(op.length, file.host.size - op.offset)));
      if (token !== undefined) ctx.observer?.rangeEnd(file, token);
      checkErrno(ctx, where, op.errno, r);
      return 'ok';
    }
    case 'fallocate': {
      const r = yield* xfsAllocFileSpace(w, w.file(op.file), op.offset, op.length);
      checkErrno(ctx, where, op.errno, r);
      return 'ok';
    }
    case 'mmap': {
      const r = yield* vmMmap(w, proc, w.file(op.mapping.file), op.mapping);
      if (typeof r === 'string')
        ctx.expectFailures.push({ what: `${where}`, expected: 'a mapping', found: r });
      return 'ok';
    }
    case 'munmap': {
      const vma = w.vma(proc, op.map);
      if (vma !== undefined) {
        yield* vmMunmap(w, proc, vma);
        ctx.observer?.unmapped(proc, vma.start, vma.end);
      }
      return 'ok';
    }
    case 'crash':
      ctx.crash(op.lose);
      return 'ok';
  }
}

/** An fsync or msync between the observer's brackets (V6 learns what the sync covered). */
function* syncOp(
  ctx: OpsContext,
  where: string,
  file: AddressSpace,
  start: number,
  end: number,
  errno: string | undefined,
  sync: K<Errno | null>,
): K<OpResult> {
  const token = ctx.observer?.syncBegin(file, start, end);
  const r = yield* sync;
  if (r === null && token !== undefined) ctx.observer?.syncDone(file, token);
  checkErrno(ctx, where, errno, r);
  return 'ok';
}

function checkErrno(
  ctx: OpsContext,
  where: string,
  expected: string | undefined,
  found: string | null,
): void {
  if ((expected ?? null) === found) return;
  ctx.expectFailures.push({
    what: `${where} errno`,
    expected: expected ?? 'success',
    found: found ?? 'success',
  });
}

/** The file offset a mapping-relative offset lands on. */
function fileOffsetOf(vma: Vma<AddressSpace>, offset: number): number {
  return vma.pgoff * PAGE_SIZE + offset;
}

/** The byte a `touch` write stores at its i-th access: varied, never zero, deterministic. */
export function touchByte(i: number): number {
  return (i % 255) + 1;
}

function* accessOp(
  ctx: OpsContext,
  where: string,
  proc: Process,
  op: Extract<Op, { kind: 'read' | 'write' | 'touch' }>,
): K<OpResult> {
  const w = ctx.world;
  const vma = w.vma(proc, op.map);
  if (vma === undefined) return 'SIGSEGV';
  if (op.kind === 'touch') {
    const one = new Uint8Array(1);
    const write = op.access === 'write';
    let i = 0;
    for (let off = op.offset; off < op.offset + op.length; off += op.stride, i++) {
      if (i > 0) yield* w.rt.point(OP_POINTS.touch);
      if ((i & (ACCESS_BATCH - 1)) === ACCESS_BATCH - 1) ctx.onAccesses?.(ACCESS_BATCH);
      if (write) one[0] = touchByte(i);
      const r = yield* access(ctx, proc, vma, off, one, write);
      if (r !== 'ok') return r;
    }
    return 'ok';
  }
  const write = op.kind === 'write';
  const buf = write ? op.data : new Uint8Array(op.length);
  const r = yield* access(ctx, proc, vma, op.offset, buf, write);
  if (r !== 'ok') return r;
  if (op.kind === 'read' && op.equals !== undefined && !sameBytes(buf, op.equals)) {
    ctx.expectFailures.push({ what: `${where} equals`, expected: hexBytes(op.equals), found: hexBytes(buf) });
  }
  return 'ok';
}

function access(
  ctx: OpsContext,
  proc: Process,
  vma: Vma<AddressSpace>,
  offset: number,
  buf: Uint8Array,
  write: boolean,
): K<OpResult> {
  // Without an observer there is nothing to do around the access: hand its generator back.
  if (ctx.observer === null) return userAccess(ctx.world, proc, vma.start + offset, buf, write);
  return observedAccess(ctx, ctx.observer, proc, vma, offset, buf, write);
}

function* observedAccess(
  ctx: OpsContext,
  obs: WorkloadObserver,
  proc: Process,
  vma: Vma<AddressSpace>,
  offset: number,
  buf: Uint8Array,
  write: boolean,
): K<OpResult> {
  const vaddr = vma.start + offset;
  const at = fileOffsetOf(vma, offset);
  // A store spanning pages may fault (and yield) between them: ambiguous until it completes.
  const token = write && vma.shared ? obs.writeBegin(vma.file, at, buf.length) : undefined;
  const since = obs.readBegin(vma.file);
  const r = yield* userAccess(ctx.world, proc, vaddr, buf, write);
  if (token !== undefined) obs.rangeEnd(vma.file, token);
  if (r !== 'ok') return r;
  const via = { kind: 'mapping', proc, shared: vma.shared, vaddr } as const;
  if (write) obs.writeDone(vma.file, at, buf, via);
  else obs.readDone(vma.file, at, buf, via, since);
  return 'ok';
}
