/**
 * A kernel oops: code the model runs would crash the real kernel here (a BUG_ON that fires,
 * a dereference of a pointer the kernel never set). Thrown from kernel code; it ends the task
 * as an oops ends the faulting task, with whatever locks it held still held, and the run
 * reports it as a violation of its own kind ('oops'), distinct from a model error.
 *
 * Invariant: thrown only where the kernel version being modelled would itself crash.
 */
export class KernelOops extends Error {
  override readonly name = 'KernelOops';

  /** `where` is the kernel function, `what` the failed assertion or bad access. */
  constructor(where: string, what: string) {
    super(`kernel oops in ${where}: ${what}`);
  }
}

/**
 * A livelock: a task keeps redoing work that never completes (an access that faults again and
 * again without a usable translation). Reported under V1 (no progress).
 */
export class Livelock extends Error {
  override readonly name = 'Livelock';
}
