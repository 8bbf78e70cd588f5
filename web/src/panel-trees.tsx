/**
 * Each file's radix tree at the selected step: entries by first index with their size, kind,
 * lock (the entry lock bit; a hole page's page lock), sector (a hole page's pfn) and tags.
 * Entries set at this step are highlighted; removed ones listed.
 */
import { TAG_BITS } from '../../src/view/view-data.js';
import type { StepProps } from './app.js';
import { capped, hex } from './format.js';

const MAX_ROWS = 300;

function tagsText(bits: number): string {
  const out: string[] = [];
  if (bits & TAG_BITS.dirty) out.push('dirty');
  if (bits & TAG_BITS.towrite) out.push('towrite');
  return out.join(' ');
}

/** The trees panel. */
export function Trees({ model, step }: StepProps) {
  const held = new Set(model.holders.at(step).map((h) => h[0]));
  return (
    <section class="panel" data-testid="tree">
      <h2>Radix trees</h2>
      {model.data.files.map((file, i) => {
        const history = model.trees[i]!;
        const entries = [...history.at(step).values()];
        const changed = history.changedAt(step);
        const { shown, more } = capped(entries, MAX_ROWS);
        return (
          <div key={file} class="file" data-file={file}>
            <h3>
              {file} <small>{entries.length} entries</small>
            </h3>
            {entries.length === 0 ? (
              <p class="none">empty tree</p>
            ) : (
              <table class="grid">
                <thead>
                  <tr>
                    <th>index</th>
                    <th>size</th>
                    <th>kind</th>
                    <th>lock</th>
                    <th>sector / pfn</th>
                    <th>tags</th>
                  </tr>
                </thead>
                <tbody>
                  {shown.map(([index, order, kind, locked, sector, tags]) => {
                    const pageLocked = kind === 'hole-page' && held.has(`page:${hex(sector)}`);
                    return (
                      <tr
                        key={index}
                        class={changed.set.has(index) ? 'changed' : ''}
                        data-index={hex(index)}
                        data-kind={kind}
                        data-locked={locked || pageLocked ? 1 : 0}
                      >
                        <td>{hex(index)}</td>
                        <td>{order === 9 ? '2 MiB' : '4 KiB'}</td>
                        <td>{kind}</td>
                        <td>{locked ? 'locked' : pageLocked ? 'page lock' : ''}</td>
                        <td>{kind.endsWith('empty') || kind === 'pmd-zero' ? '' : hex(sector)}</td>
                        <td>{tagsText(tags)}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            )}
            {more > 0 ? <p class="none">… {more} more entries</p> : null}
            {changed.del.length > 0 ? (
              <p class="removed">removed at this step: {changed.del.map(hex).join(', ')}</p>
            ) : null}
          </div>
        );
      })}
    </section>
  );
}
