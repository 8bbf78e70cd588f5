/**
 * The per-task thread table (the CLI's `daxsim replay` table as a page): one column per task,
 * one row per event in trace order. Rows of the selected step are highlighted, later ones
 * dimmed; clicking a row selects its step.
 *
 * Invariant: only the rows in view (plus a margin) are in the DOM, at a fixed row height,
 * so a run of any length renders in constant time.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { StepProps } from './app.js';

const ROW_H = 22;
const MARGIN = 30;
const HEAD_H = 26;

/** The table. */
export function ThreadTable({ model, step, go }: StepProps) {
  const box = useRef<HTMLDivElement>(null);
  const [view, setView] = useState({ top: 0, height: 600 });
  const rows = model.rows;
  const columns = useMemo(() => {
    const used = new Set(rows.map((r) => r[1]));
    return model.data.tasks.filter((t) => used.has(t.id));
  }, [model]);
  const colOf = useMemo(() => new Map(columns.map((t, i) => [t.id, i + 2])), [columns]);
  const states = model.taskStates.at(step);
  const endFrom = model.data.rows.length;

  useEffect(() => {
    const el = box.current!;
    const measure = () => setView({ top: el.scrollTop, height: el.clientHeight });
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    measure();
    return () => ro.disconnect();
  }, []);

  useEffect(() => {
    const el = box.current!;
    const i = Math.min(model.firstRowAt(step), rows.length - 1);
    const y = i * ROW_H; // below the sticky header, which covers the first HEAD_H pixels in view
    if (y < el.scrollTop || y + ROW_H + HEAD_H > el.scrollTop + el.clientHeight)
      el.scrollTop = Math.max(0, y - el.clientHeight / 3);
  }, [step, model]);

  const first = Math.max(0, Math.floor(view.top / ROW_H) - MARGIN);
  const last = Math.min(rows.length, Math.ceil((view.top + view.height) / ROW_H) + MARGIN);
  const grid = `4.5em repeat(${columns.length}, minmax(14em, 1fr))`;
  const shown = [];
  for (let i = first; i < last; i++) {
    const [s, task, text] = rows[i]!;
    const end = i >= endFrom;
    const cls = `tt-row${s === step ? ' current' : s > step ? ' future' : ''}${end ? ' end' : ''}`;
    const label = end ? 'end' : i > 0 && rows[i - 1]![0] === s && i !== endFrom ? '' : String(s);
    shown.push(
      <button
        type="button"
        tabIndex={-1}
        key={i}
        class={cls}
        style={{ top: `${i * ROW_H}px`, gridTemplateColumns: grid }}
        data-step={s}
        onClick={() => go(s)}
      >
        <span class="tt-step">{label}</span>
        <span class="tt-cell" style={{ gridColumn: String(colOf.get(task) ?? 2) }} title={text}>
          {text}
        </span>
      </button>,
    );
  }
  const width = `calc(4.5em + ${columns.length} * 14.8em)`;
  return (
    <section class="thread-table" data-testid="thread-table">
      <div
        class="tt-body"
        ref={box}
        onScroll={(e) => setView({ top: e.currentTarget.scrollTop, height: e.currentTarget.clientHeight })}
      >
        <div class="tt-head" style={{ gridTemplateColumns: grid, minWidth: width }}>
          <span class="tt-step">step</span>
          {columns.map((t) => (
            <span key={t.id} class="tt-task" data-task={t.name} data-state={states[t.id] ?? ''}>
              {t.name} <small class={`state ${states[t.id] ?? ''}`}>{states[t.id] ?? ''}</small>
            </span>
          ))}
        </div>
        <div style={{ height: `${rows.length * ROW_H}px`, position: 'relative', minWidth: width }}>
          {shown}
        </div>
      </div>
    </section>
  );
}
