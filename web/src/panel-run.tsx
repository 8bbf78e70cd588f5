/** Whole-run panels: what went wrong at the end, and the THP fallbacks by reason. */
import type { StepProps } from './app.js';

const MAX_DETAILS = 200;

/** Violations and expect failures of the run (found at its end). */
export function Problems({ model }: StepProps) {
  const problems = model.data.run.problems;
  const outcomes = Object.entries(model.data.run.outcomes);
  return (
    <section class={`panel ${problems.length > 0 ? 'bad' : 'good'}`} data-testid="problems">
      <h2>
        {problems.length > 0
          ? `At the end: ${problems.length} problem(s)`
          : 'At the end: all invariants hold'}
      </h2>
      <p class="outcomes">
        {outcomes.map(([t, o]) => (
          <span key={t} class={`state ${o}`}>
            {t}: {o}
          </span>
        ))}
      </p>
      {problems.map((p) => (
        <pre key={p}>{p}</pre>
      ))}
    </section>
  );
}

/** A bar per fallback reason: the count up to the selected step over the run's total. */
export function Fallbacks({ model, step }: StepProps) {
  const { reasons, events } = model.data.fallbacks;
  const total = model.fallbacksAt(model.steps);
  const now = model.fallbacksAt(step);
  const max = Math.max(1, ...total);
  const used = reasons.map((r, i) => ({ r, i })).filter(({ i }) => total[i]! > 0);
  return (
    <section class="panel" data-testid="fallbacks">
      <h2>
        THP fallbacks <small>{events.length} in the run</small>
      </h2>
      {used.length === 0 ? <p class="none">no 2 MiB fault fell back</p> : null}
      {used.map(({ r, i }) => (
        <div key={r} class="bar-row" data-reason={r} data-count={now[i]} data-total={total[i]}>
          <span class="bar-label">{r}</span>
          <span class="bar">
            <span class="bar-total" style={{ width: `${(total[i]! / max) * 100}%` }} />
            <span class="bar-now" style={{ width: `${(now[i]! / max) * 100}%` }} />
          </span>
          <span class="bar-count">
            {now[i]} / {total[i]}
          </span>
        </div>
      ))}
    </section>
  );
}

/** The selected step's rows in full (the table cuts long cells). */
export function StepDetails({ model, step }: StepProps) {
  const from = model.firstRowAt(step);
  let to = from;
  while (to < model.rows.length && model.rows[to]![0] === step) to++;
  const rows = model.rows.slice(from, Math.min(to, from + MAX_DETAILS));
  const ran = model.ranAt(step);
  return (
    <section class="panel" data-testid="step-details">
      <h2>
        Step {step}{' '}
        <small>{ran === undefined ? 'before the first step' : `${model.taskName(ran)} ran`}</small>
      </h2>
      {rows.length === 0 ? <p class="none">no table rows at this step</p> : null}
      <ul>
        {rows.map(([, task, text], i) => (
          <li key={`${i}`}>
            <b>{model.taskName(task)}</b> <code>{text}</code>
          </li>
        ))}
      </ul>
      {to - from > rows.length ? (
        <p class="none">… {to - from - rows.length} more rows at this step</p>
      ) : null}
    </section>
  );
}
