/**
 * The page: header with the step controls, the timeline, the thread table, and the state
 * panels at the selected step. Keys: Left/Right one step (Shift: ten), Home/End.
 */
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { RunModel } from './model.js';
import { PageTables } from './panel-page-tables.js';
import { Fallbacks, Problems, StepDetails } from './panel-run.js';
import { LockHolders, WaitQueues } from './panel-sched.js';
import { Trees } from './panel-trees.js';
import { ThreadTable } from './thread-table.js';
import { Timeline } from './timeline.js';

/** Props every step-aware part takes. */
export interface StepProps {
  model: RunModel;
  step: number;
  go: (step: number) => void;
}

function stepFromHash(max: number): number {
  const m = /step=(\d+)/.exec(location.hash);
  return m === null ? 0 : Math.min(max, Number(m[1]));
}

function Header({ model, step, go }: StepProps) {
  const run = model.data.run;
  const ran = model.ranAt(step);
  return (
    <header>
      <div class="title">
        <h1>{model.data.scenario.name}</h1>
        <span class="meta">
          profile {run.profile} ·{' '}
          {run.mode === 'schedule' ? 'replayed schedule' : `seeded run, seed ${run.seed}`} · {run.steps} steps
          {run.mutations.length > 0 ? ` · mutations: ${run.mutations.join(', ')}` : ''}
        </span>
        <span class="meta schedule" title={run.schedule}>
          schedule {run.schedule === '' ? '(no choices)' : run.schedule}
        </span>
      </div>
      <nav class="controls">
        <button type="button" onClick={() => go(0)} disabled={step === 0} title="first step (Home)">
          « first
        </button>
        <button
          type="button"
          data-testid="step-prev"
          onClick={() => go(step - 1)}
          disabled={step === 0}
          title="previous step (←)"
        >
          ◀ prev
        </button>
        <span class="step-label" data-testid="step-label" data-step={step}>
          step {step} / {run.steps}
          <small>{ran === undefined ? 'initial state' : `${model.taskName(ran)} ran`}</small>
        </span>
        <button
          type="button"
          data-testid="step-next"
          onClick={() => go(step + 1)}
          disabled={step === run.steps}
          title="next step (→)"
        >
          next ▶
        </button>
        <button
          type="button"
          onClick={() => go(run.steps)}
          disabled={step === run.steps}
          title="last step (End)"
        >
          last »
        </button>
      </nav>
    </header>
  );
}

/** The whole page. */
export function App({ model }: { model: RunModel }) {
  const [step, setStep] = useState(() => stepFromHash(model.steps));
  const go = useCallback((s: number) => setStep(Math.max(0, Math.min(model.steps, Math.round(s)))), [model]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey || e.ctrlKey || e.metaKey) return;
      const by = e.shiftKey ? 10 : 1;
      const moves: Record<string, (s: number) => number> = {
        ArrowRight: (s) => s + by,
        ArrowLeft: (s) => s - by,
        Home: () => 0,
        End: () => model.steps,
      };
      const move = moves[e.key];
      if (move === undefined) return;
      e.preventDefault();
      setStep((s) => Math.max(0, Math.min(model.steps, move(s))));
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [model]);
  useEffect(() => {
    history.replaceState(null, '', `#step=${step}`);
  }, [step]);
  const props = { model, step, go };
  return (
    <div class="app">
      <Header {...props} />
      <Timeline {...props} />
      <main>
        <ThreadTable {...props} />
        <aside>
          <Problems {...props} />
          <StepDetails {...props} />
          <WaitQueues {...props} />
          <LockHolders {...props} />
          <Trees {...props} />
          <PageTables {...props} />
          <Fallbacks {...props} />
        </aside>
      </main>
    </div>
  );
}
