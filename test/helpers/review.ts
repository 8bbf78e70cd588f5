/**
 * The seed's review-thread table (scenarios/review-thread.yaml, copied so the tests do not
 * move when the built-in changes): process p maps the huge zero page over file block 0x200;
 * three threads of process q, whose 1 MiB mapping can only fault 4 KiB, read indices 0x202,
 * 0x203 and 0x204.
 *
 *     Thread 1                 Thread 2                 Thread 3
 *     index 0x202, hold PMD lock 0x200
 *                              index 0x203, sleep on 0x200
 *                                                       index 0x204, sleep on 0x200
 *     downgrade, removing 0x200, wake waiter(s) on 0x200, insert PTE @ 0x202
 *
 * Invariant: `reviewScheduler()` reproduces exactly that table whatever the fallback does
 * afterwards: t1 runs until it has locked the 2 MiB entry and dropped tree_lock to unmap the
 * huge zero page (G2), then t2 and t3 each run until they sleep on key 0x200.
 */
import { atPoint, PhaseScheduler, sleepingOn } from './schedulers.js';

export const REVIEW_YAML = `
name: review-thread
files:
  - { path: data, size: 4MiB }
processes:
  - name: p
    mappings: [{ name: whole, file: data, offset: 0, length: 4MiB }]
  - name: q
    mappings: [{ name: small, file: data, offset: 2MiB, length: 1MiB }]
tasks:
  - name: setup
    process: p
    ops:
      - read: { map: whole, offset: 2MiB, length: 8 }
  - name: t1
    process: q
    after: [setup]
    ops:
      - read: { map: small, offset: 0x2000, length: 8, equals: "0x0000000000000000" }
  - name: t2
    process: q
    after: [setup]
    ops:
      - read: { map: small, offset: 0x3000, length: 8, equals: "0x0000000000000000" }
  - name: t3
    process: q
    after: [setup]
    ops:
      - read: { map: small, offset: 0x4000, length: 8, equals: "0x0000000000000000" }
`;

/** The table's interleaving, then round robin. */
export function reviewScheduler(): PhaseScheduler {
  return new PhaseScheduler([
    { task: 't1', until: atPoint('unmap_mapping_range') },
    { task: 't2', until: sleepingOn(0x200) },
    { task: 't3', until: sleepingOn(0x200) },
  ]);
}
