/**
 * Each process's page table at the selected step, per 2 MiB block of each mapping: a huge
 * PMD (pfn, kind, writable), a PTE table (its present PTEs) or empty (runs of empty blocks
 * collapsed). Blocks set at this step are highlighted.
 */
import type { BlockRow, PteRow, VmaRow } from '../../src/view/view-data.js';
import type { StepProps } from './app.js';
import { capped, hex, PAGE_BYTES, PMD_BYTES, PTES_PER_TABLE } from './format.js';

const MAX_BLOCK_ROWS = 200;
const MAX_PTES = 16;

type Line =
  | { kind: 'empty'; block: number; count: number }
  | { kind: 'slot'; block: number; row: BlockRow; ptes: PteRow[] };

function linesOf(vma: VmaRow, blocks: Map<number, BlockRow>, ptes: Map<number, PteRow[]>): Line[] {
  const first = Math.floor(vma[2] / PMD_BYTES);
  const last = Math.floor((vma[3] - 1) / PMD_BYTES);
  const lines: Line[] = [];
  let next = first;
  for (const [block, row] of blocks) {
    if (block < first || block > last) continue;
    if (block > next) lines.push({ kind: 'empty', block: next, count: block - next });
    lines.push({ kind: 'slot', block, row, ptes: ptes.get(block) ?? [] });
    next = block + 1;
  }
  if (next <= last) lines.push({ kind: 'empty', block: next, count: last - next + 1 });
  return lines;
}

function SlotText({ row, ptes }: { row: BlockRow; ptes: PteRow[] }) {
  if (row[1] === 'huge') {
    return (
      <span>
        huge PMD → pfn {hex(row[2])} <small>{row[4]}</small> {row[3] ? 'rw' : 'ro'}
      </span>
    );
  }
  const { shown, more } = capped(ptes, MAX_PTES);
  return (
    <span>
      PTE table, {row[2]} PTE{row[2] === 1 ? '' : 's'}
      {shown.map(([page, pfn, w, kind]) => (
        <span key={page} class="pte">
          {hex(page * PAGE_BYTES)} → pfn {hex(pfn)} <small>{kind}</small> {w ? 'rw' : 'ro'}
        </span>
      ))}
      {more > 0 ? <span class="pte">… {more} more</span> : null}
    </span>
  );
}

/** The page tables panel. */
export function PageTables({ model, step }: StepProps) {
  const vmas = model.vmas.at(step);
  return (
    <section class="panel" data-testid="page-tables">
      <h2>Page tables</h2>
      {model.data.processes.map((proc, i) => {
        const blocks = model.blocks[i]!.at(step);
        const changed = model.blocks[i]!.changedAt(step).set;
        const ptesChanged = model.ptes[i]!.changedAt(step).set;
        const byBlock = new Map<number, PteRow[]>();
        for (const row of model.ptes[i]!.at(step).values()) {
          const b = Math.floor(row[0] / PTES_PER_TABLE);
          const list = byBlock.get(b);
          if (list === undefined) byBlock.set(b, [row]);
          else list.push(row);
        }
        const hot = (b: number) =>
          changed.has(b) || (byBlock.get(b) ?? []).some((p) => ptesChanged.has(p[0])) ? 'changed' : '';
        return (
          <div key={proc} class="process" data-process={proc}>
            <h3>
              {proc} <small>{blocks.size} PMD slots in use</small>
            </h3>
            {(vmas[i] ?? []).map((vma) => {
              const { shown, more } = capped(linesOf(vma, blocks, byBlock), MAX_BLOCK_ROWS);
              return (
                <div key={`${vma[0]}${vma[2]}`} class="vma">
                  <div class="vma-head">
                    {vma[0]} → {vma[1]} [{hex(vma[2])}, {hex(vma[3])}) pgoff {hex(vma[4])}{' '}
                    <small>{vma[5] ? 'shared' : 'private'}</small>
                  </div>
                  <table class="grid">
                    <tbody>
                      {shown.map((l) => (
                        <tr
                          key={l.block}
                          class={l.kind === 'slot' ? hot(l.block) : 'empty'}
                          data-block={hex(l.block * PMD_BYTES)}
                          data-kind={l.kind === 'empty' ? 'empty' : l.row[1]}
                        >
                          <td>{hex(l.block * PMD_BYTES)}</td>
                          <td>
                            {l.kind === 'empty' ? (
                              `empty${l.count > 1 ? ` × ${l.count}` : ''}`
                            ) : (
                              <SlotText row={l.row} ptes={l.ptes} />
                            )}
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                  {more > 0 ? <p class="none">… {more} more rows</p> : null}
                </div>
              );
            })}
          </div>
        );
      })}
    </section>
  );
}
