/**
 * Model trace events of the DAX layer: function steps with their rule ids, and the
 * kernel's `fs_dax` tracepoints (S5). Callers test `tracing(env)` first so that a run with
 * tracing off builds no event objects on the fault path.
 */
import type { DaxEnv } from './env.js';

/** Fields of a model trace event. */
export type TraceFields = Record<string, string | number | boolean>;

/** Whether trace events are being recorded. */
export function tracing(env: DaxEnv): boolean {
  return env.rt.trace.enabled;
}

/** A model step: `name` is the kernel-twin function or tracepoint, `rule` the spec rule id. */
export function traceModel(env: DaxEnv, name: string, rule: string | undefined, fields?: TraceFields): void {
  const rt = env.rt;
  rt.trace.emit({
    type: 'model',
    task: rt.current.id,
    step: rt.steps,
    name,
    ...(rule === undefined ? {} : { rule }),
    ...(fields === undefined ? {} : { fields }),
  });
}

/** Hexadecimal form used in trace fields, as the kernel's `%#lx`. */
export function hex(n: number): string {
  return `0x${n.toString(16)}`;
}
