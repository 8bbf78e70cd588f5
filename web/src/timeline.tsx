/**
 * One lane per task across the whole run: its state over time as a band (runnable, sleeping,
 * spinning), a tick at every step it ran, and the selected step as a cursor. Clicking a lane
 * jumps to the nearest step that task ran within a few pixels, else to the step under the
 * pointer.
 *
 * Invariant: a lane is drawn once per size (a canvas); moving the cursor redraws nothing.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { StepProps } from './app.js';
import type { RunModel } from './model.js';

const COLOURS: Record<string, string> = {
  runnable: '#d8e6f3',
  sleeping: '#f6c98a',
  spinning: '#f19b9b',
  pending: '#eeeeee',
};
const LANE_H = 16;
const SNAP_PX = 4;

function xOf(step: number, steps: number, width: number): number {
  return steps === 0 ? 0 : (step / steps) * width;
}

function drawLane(canvas: HTMLCanvasElement, model: RunModel, task: number): void {
  const width = canvas.clientWidth;
  const ratio = window.devicePixelRatio || 1;
  canvas.width = Math.max(1, Math.round(width * ratio));
  canvas.height = LANE_H * ratio;
  const g = canvas.getContext('2d');
  if (g === null) return;
  g.scale(ratio, ratio);
  const steps = model.steps;
  const changes = [...model.taskStates.changes()];
  changes.forEach(([s, states], i) => {
    const colour = COLOURS[states[task] ?? ''];
    if (colour === undefined) return;
    const next = changes[i + 1]?.[0] ?? steps + 1;
    g.fillStyle = colour;
    g.fillRect(
      xOf(s, steps, width),
      3,
      Math.max(1, xOf(next, steps, width) - xOf(s, steps, width)),
      LANE_H - 6,
    );
  });
  g.fillStyle = '#2f5f8f';
  const tick = Math.max(1, width / Math.max(1, steps));
  model.data.ran.forEach((t, i) => {
    if (t === task) g.fillRect(xOf(i + 1, steps, width) - tick / 2, 1, tick, LANE_H - 2);
  });
}

function Lane({ model, step, go, task }: StepProps & { task: { id: number; name: string } }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const el = canvas.current!;
    const ro = new ResizeObserver(() => setWidth(el.clientWidth));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  useEffect(() => {
    if (width > 0) drawLane(canvas.current!, model, task.id);
  }, [model, width, task.id]);
  const state = model.taskStates.at(step)[task.id] ?? '';
  const onClick = (e: MouseEvent) => {
    if (e.detail === 0) return; // a keyboard click has no position
    const el = e.currentTarget as HTMLElement;
    const x = e.clientX - el.getBoundingClientRect().left;
    const steps = model.steps;
    const w = Math.max(1, el.clientWidth);
    const at = Math.round((x / w) * steps);
    const span = Math.ceil((SNAP_PX / w) * steps);
    let best = at;
    for (let d = 0; d <= span; d++) {
      if (model.ranAt(at - d) === task.id) {
        best = at - d;
        break;
      }
      if (model.ranAt(at + d) === task.id) {
        best = at + d;
        break;
      }
    }
    go(best);
  };
  return (
    <div class="lane" data-testid="timeline-lane" data-task={task.name} data-state={state}>
      <span class="lane-name">
        {task.name} <small class={`state ${state}`}>{state}</small>
      </span>
      <button
        type="button"
        tabIndex={-1}
        class="lane-track"
        onClick={onClick}
        title={`${task.name}: click to jump`}
      >
        <canvas ref={canvas} />
        <span class="cursor" style={{ left: `${model.steps === 0 ? 0 : (step / model.steps) * 100}%` }} />
      </button>
    </div>
  );
}

/** The timeline: a lane per task. */
export function Timeline(props: StepProps) {
  return (
    <section class="timeline" data-testid="timeline">
      {props.model.data.tasks.map((t) => (
        <Lane key={t.id} {...props} task={t} />
      ))}
    </section>
  );
}
