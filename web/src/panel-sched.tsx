/** The scheduling side at the selected step: who waits on what, and who holds which lock. */
import type { StepProps } from './app.js';

/** Wait-table sleepers by key, then tasks blocked on a lock or in a bare schedule(). */
export function WaitQueues({ model, step }: StepProps) {
  const waits = model.waits.at(step);
  const lockWaits = model.lockWaits.at(step);
  return (
    <section class="panel" data-testid="wait-queues">
      <h2>Wait queues</h2>
      {waits.length === 0 && lockWaits.length === 0 ? <p class="none">nobody waits</p> : null}
      <ul>
        {waits.map(([task, key, bucket, asleep]) => {
          const name = model.taskName(task);
          const state = asleep ? 'asleep' : 'queued';
          return (
            <li key={`w${task}`} data-testid="waiter" data-task={name} data-key={key} data-state={state}>
              <b>{name}</b> {asleep ? 'asleep' : 'queued (not yet descheduled)'} on key <code>{key}</code>{' '}
              <small>wait_table bucket {bucket}</small>
            </li>
          );
        })}
        {lockWaits.map(([task, lock, mode, how]) => {
          const name = model.taskName(task);
          return (
            <li key={`l${task}`} data-testid="lock-waiter" data-task={name} data-lock={lock} data-state={how}>
              <b>{name}</b> {how} {lock === 'schedule()' ? 'in schedule()' : 'for'}{' '}
              {lock === 'schedule()' ? null : <code>{lock}</code>}{' '}
              {mode === '' ? null : <small>{mode}</small>}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

/** Every lock held at the step, with its holders. */
export function LockHolders({ model, step }: StepProps) {
  const holders = model.holders.at(step);
  return (
    <section class="panel" data-testid="lock-holders">
      <h2>Lock holders</h2>
      {holders.length === 0 ? <p class="none">no lock held</p> : null}
      <ul>
        {holders.map(([lock, kind, tasks]) => (
          <li key={lock} data-lock={lock}>
            <code>{lock}</code> <small>{kind}</small> held by{' '}
            <b>{tasks.map((t) => model.taskName(t)).join(', ')}</b>
          </li>
        ))}
      </ul>
    </section>
  );
}
