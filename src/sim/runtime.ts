/**
 * The deterministic kernel runtime (S1-S6): runs generator tasks one scheduling point at a
 * time under a pluggable scheduler, records the schedule, and notices runtime bugs (V7).
 *
 * Invariants:
 * - At most one task runs at a time (`current`); between two yields it runs alone (S1).
 * - `steps` counts scheduling decisions; it is the clock of every trace event.
 * - A choice is recorded exactly when more than one task was runnable, or when the injector
 *   offered a failure choice (S2, S4), so replaying the schedule reproduces the run (S6).
 * - A task's thrown error ends that task (state `done`, `error` set), never the runtime;
 *   errors from the scheduler (e.g. replay divergence) do propagate.
 * - With tracing off the step loop allocates nothing of its own: the runnable list is rebuilt
 *   only after a block, wake-up, spawn or exit (so task states must change only through the
 *   runtime and the primitives), and the schedule is run-length encoded in typed arrays.
 */
import { DONE, DONE_FALSE, DONE_TRUE } from './done.js';
import { FaultInjector } from './fault-injector.js';
import { RuntimeCore } from './runtime-core.js';
import type { Choice, RunOutcome, RuntimeOptions } from './runtime-types.js';
import { ScheduleRecorder, type ScheduleToken } from './schedule-string.js';
import type { Scheduler } from './scheduler.js';
import { buildStuckReport } from './stuck-report.js';
import { Task } from './task.js';
import { renderValue, Trace } from './trace.js';
import type { AllocSite, K, Point, StuckTask, WaitDescription } from './types.js';
import { formatWaitKey } from './wait-table.js';

const ALLOC_POINTS: Record<AllocSite, Point> = {
  'radix-preload': 'alloc(radix-preload)',
  'page-alloc': 'alloc(page-alloc)',
  'huge-zero-page': 'alloc(huge-zero-page)',
  'block-alloc': 'alloc(block-alloc)',
};
const SCHEDULE_POINT: Point = 'schedule';
const BARE_SCHEDULE: WaitDescription = { kind: 'schedule' };

/** The simulated machine's scheduler core. */
export class Runtime extends RuntimeCore {
  readonly scheduler: Scheduler;
  readonly injector: FaultInjector;
  readonly maxSteps: number;
  /** Every choice with its alternatives, when `recordChoices` is on. */
  readonly choices: Choice[] = [];
  private readonly taskList: Task[] = [];
  private readonly runq: Task[] = [];
  private readonly recorder = new ScheduleRecorder();
  private readonly recordChoices: boolean;
  private readonly elide: boolean;
  private readonly footprints: boolean;
  private lastFp: ReadonlySet<string> | null = null;
  private prev: Task | null = null;
  /** A scheduler error raised inside a task (boxed: any value may be thrown). */
  private schedulerError: { err: unknown } | null = null;

  /** A runtime with no tasks yet. */
  constructor(opts: RuntimeOptions) {
    super(opts.trace ?? Trace.disabled());
    this.scheduler = opts.scheduler;
    this.injector = opts.injector ?? FaultInjector.never();
    this.maxSteps = opts.maxSteps ?? 10_000_000;
    if (!Number.isInteger(this.maxSteps) || this.maxSteps < 0) {
      throw new RangeError(`Runtime: maxSteps ${this.maxSteps} must be a non-negative integer`);
    }
    this.recordChoices = opts.recordChoices ?? false;
    this.elide = opts.elideForcedPoints ?? true;
    this.footprints = opts.footprints ?? false;
  }

  /** The footprint of the step run last (null when footprints are off or before any step). */
  get lastFootprint(): ReadonlySet<string> | null {
    return this.lastFp;
  }

  /** All tasks ever spawned, by id. */
  get tasks(): readonly Task[] {
    return this.taskList;
  }

  /** The task that ran the most recent step (schedulers use it), or null. */
  get lastRun(): Task | null {
    return this.prev;
  }

  /** The schedule recorded so far (S2/S6): a compact string replayable with ReplayScheduler. */
  get recordedSchedule(): string {
    return this.recorder.toString();
  }

  /** The FNV-1a hash of `recordedSchedule`, without rendering it. */
  get recordedScheduleHash(): number {
    return this.recorder.hash();
  }

  /** The recorded choices, expanded. */
  scheduleTokens(): ScheduleToken[] {
    return this.recorder.tokens();
  }

  /** Create a task (S1); it becomes runnable once every `after` task is done. */
  spawn(name: string, body: () => K<unknown>, opts: { after?: readonly Task[]; data?: unknown } = {}): Task {
    const after = opts.after ?? [];
    for (const a of after) {
      if (this.taskList[a.id] !== a)
        throw new Error(`spawn ${name}: 'after' task ${a} belongs to another runtime`);
    }
    const t = new Task(this.taskList.length, name, body, [...after], opts.data);
    this.taskList.push(t);
    this.runqDirty = true;
    this.touch('*');
    if (this.trace.enabled) {
      this.trace.emit({
        type: 'spawn',
        step: this.stepCount,
        task: t.id,
        name,
        after: after.map((a) => a.id),
      });
    }
    return t;
  }

  /** Rebuild the run queue if a block, wake-up, spawn or exit changed it. */
  private refreshRunq(): Task[] {
    const rq = this.runq;
    if (this.runqDirty) {
      // Rebuilt only after a block, wake-up, spawn or exit: the common step allocates nothing.
      rq.length = 0;
      const tasks = this.taskList;
      for (let i = 0; i < tasks.length; i++) {
        const t = tasks[i]!;
        if (t.isRunnable()) rq.push(t);
      }
      this.runqDirty = false;
    }
    return rq;
  }

  /**
   * @internal Whether a scheduling point now is a real choice: some task other than the
   * running one could be picked. When none could, the scheduler's only option is to resume
   * the running task, so the point is elided: no decision is recorded either way, and whether
   * a point is elided depends only on the model's state (never on tracing), so runs stay
   * reproducible (S6). Only src/sim reads it: kernel code states its points with `point()`,
   * `alloc()`, `schedule()` and the lock primitives, which all consult it. (Not the kernel's
   * preemptible(): a kernel task is always switchable at a point of the model.)
   */
  get otherRunnable(): boolean {
    if (!this.elide) return true;
    const rq = this.refreshRunq();
    return rq.length > 1 || (rq.length === 1 && rq[0] !== this.cur);
  }

  /**
   * S1: a scheduling point labelled `label` (a workload step, a call into the filesystem, a
   * syscall entry). It yields only when another task could be picked; otherwise it hands back
   * an already finished step, so `yield* rt.point(...)` costs a method call on a lone task.
   */
  point(label: Point): K<void> {
    return this.otherRunnable ? yieldOnce(label) : DONE;
  }

  /** One scheduling decision + run the chosen task to its next point. false when nothing is runnable. */
  step(): boolean {
    if (this.cur !== null) throw new Error(`Runtime.step() called from inside task ${this.cur}`);
    const rq = this.refreshRunq();
    if (rq.length === 0) return false;
    this.stepCount++;
    const t = this.scheduler.pick(rq, this);
    if (rq.length > 1) {
      if (!rq.includes(t))
        throw new Error(`scheduler ${this.scheduler.name} picked ${t}, which is not runnable`);
      this.recorder.push(t.id);
      if (this.recordChoices) {
        this.choices.push({ kind: 'task', step: this.stepCount, chosen: t.id, options: rq.map((r) => r.id) });
      }
    } else if (t !== rq[0]) {
      throw new Error(`scheduler ${this.scheduler.name} picked ${t}, which is not runnable`);
    }
    this.runTask(t);
    return true;
  }

  /** step() until quiescence (no runnable task) or the step limit. */
  run(): RunOutcome {
    let reason: RunOutcome['reason'] = 'quiescent';
    for (;;) {
      if (this.stepCount >= this.maxSteps) {
        reason = 'step-limit';
        break;
      }
      if (!this.step()) break;
    }
    if (reason === 'quiescent') this.scheduler.finish?.(this);
    const stuck = this.stuckReport();
    const recorder = this.recorder;
    const choices = recorder.length;
    return {
      reason,
      steps: this.stepCount,
      allDone: stuck.length === 0,
      stuck,
      get schedule(): string {
        // Rendering a long schedule costs; do it only when asked (then keep the text).
        const text = recorder.toString(choices);
        Object.defineProperty(this, 'schedule', { value: text, enumerable: true });
        return text;
      },
      failed: this.taskList.filter((t) => t.error !== undefined),
    };
  }

  /** Quiescence analysis (V1): each task not done, with what it waits on, last holder, last wake-ups. */
  stuckReport(): StuckTask[] {
    return buildStuckReport(this.taskList);
  }

  /** S4: an allocation point. Yields a scheduling point, consults the injector; true = allocation succeeded. */
  alloc(site: AllocSite): K<boolean> {
    if (this.otherRunnable) return this.allocAfterPoint(site);
    // The point is elided: decide now, without a generator.
    return this.allocNow(site) ? DONE_TRUE : DONE_FALSE;
  }

  private *allocAfterPoint(site: AllocSite): K<boolean> {
    yield ALLOC_POINTS[site];
    return this.allocNow(site);
  }

  /** The allocation's outcome (injector, or a recorded failure choice); true = it succeeded. */
  private allocNow(site: AllocSite): boolean {
    const t = this.current;
    const inj = this.injector;
    // The injector's counters are shared; a failure choice splits the step itself (global).
    this.touch('inj');
    let failed = inj.shouldFail(site);
    let chosen = false;
    if (!failed && inj.canChoose(site)) {
      chosen = true;
      this.touch('*');
      failed = this.chooseFailure(site);
      this.recorder.push(failed ? 'F' : 'S');
      if (this.recordChoices) this.choices.push({ kind: 'fail', step: this.stepCount, site, chosen: failed });
      if (failed) inj.noteChosenFailure(site);
    }
    if (this.trace.enabled) {
      this.trace.emit({ type: 'alloc', step: this.stepCount, task: t.id, site, failed, chosen });
    }
    return !failed;
  }

  /** schedule(): sleep if the current task was marked sleeping by prepareToWait and not woken since. */
  *schedule(): K<void> {
    const t = this.current;
    this.mightSleep(t, SCHEDULE_POINT);
    if (!t.sleepMark) {
      if (this.otherRunnable) yield SCHEDULE_POINT;
      return;
    }
    const w = t.waiter;
    if (this.fp !== null) {
      this.touchTask(t);
      if (w !== null) this.touch(w.table.fpKey(w.bucket));
    }
    if (w?.queued) {
      this.block(t, 'sleep', { kind: 'wait-queue', table: w.table, bucket: w.bucket, key: w.key, waiter: w });
      if (this.trace.enabled) {
        const key = formatWaitKey(w.key);
        this.trace.emit({
          type: 'sleep',
          step: this.stepCount,
          task: t.id,
          on: w.table.name,
          bucket: w.bucket,
          key,
        });
      }
    } else {
      this.block(t, 'sleep', BARE_SCHEDULE);
      if (this.trace.enabled)
        this.trace.emit({ type: 'sleep', step: this.stepCount, task: t.id, on: 'schedule' });
    }
    yield SCHEDULE_POINT;
  }

  /** Ask the scheduler; its errors (replay divergence) must escape the task that asked. */
  private chooseFailure(site: AllocSite): boolean {
    try {
      return this.scheduler.chooseFailure?.(site, this) ?? false;
    } catch (err) {
      this.schedulerError = { err };
      throw err;
    }
  }

  private runTask(t: Task): void {
    // A fresh footprint holding the task's own key (its wake-ups and state are its own object).
    if (this.footprints) {
      this.fp = new Set([t.fpKey]);
      this.fpLast = t.fpKey;
    }
    this.runTaskBody(t);
    if (this.footprints) {
      this.lastFp = this.fp;
      this.fp = null;
    }
  }

  private runTaskBody(t: Task): void {
    this.cur = t;
    this.prev = t;
    t.state = t.sleepMark ? 'sleeping' : 'running';
    let r: IteratorResult<Point, unknown>;
    try {
      let gen = t.gen;
      if (gen === null) {
        gen = t.body!();
        t.gen = gen;
        t.body = null;
      }
      r = gen.next();
    } catch (err) {
      this.cur = null;
      const fatal = this.schedulerError;
      if (fatal !== null) {
        this.schedulerError = null;
        throw fatal.err;
      }
      this.exit(t, undefined, err);
      return;
    }
    this.cur = null;
    const swallowed = this.schedulerError;
    if (swallowed !== null) {
      // Kernel code caught the scheduler's error; it still ends the run.
      this.schedulerError = null;
      throw swallowed.err;
    }
    if (r.done === true) {
      this.exit(t, r.value, undefined);
      return;
    }
    t.point = r.value;
    if (t.blockedOn === null) t.state = 'runnable';
    if (this.trace.enabled)
      this.trace.emit({ type: 'point', step: this.stepCount, task: t.id, point: r.value });
  }

  private exit(t: Task, result: unknown, error: unknown): void {
    const from = t.state;
    // An exit can enable `after` tasks: dependent on every step (X1).
    this.touch('*');
    t.state = 'done';
    this.runqDirty = true;
    t.result = result;
    t.error = error;
    t.gen = null;
    t.blockedOn = null;
    t.waitingOn = null;
    t.sleepMark = false;
    for (const l of t.heldLocks) {
      this.reportBug('exit-holding-lock', 'V2', t, l, `${t} exited holding ${l.name}`);
    }
    const w = t.waiter;
    if (w?.queued) {
      this.reportBug(
        'exit-on-wait-queue',
        'S3',
        t,
        null,
        `${t} exited still queued on ${w.table.name} bucket ${w.bucket}`,
      );
      w.table.remove(w);
    }
    if (this.trace.enabled) {
      this.trace.emit({ type: 'state', step: this.stepCount, task: t.id, from, to: 'done' });
      const e =
        error !== undefined
          ? { type: 'exit' as const, step: this.stepCount, task: t.id, error: renderValue(error) }
          : { type: 'exit' as const, step: this.stepCount, task: t.id, result: renderValue(result) };
      this.trace.emit(e);
    }
  }
}

/** The generator behind a point that is a real choice: one yield. */
function* yieldOnce(label: Point): K<void> {
  yield label;
}
