/**
 * A generated scenario of about 10,000 steps (the viewer's load-time test): tasks in two
 * processes read, write, pwrite, msync and fsync across a sparse 16 MiB file, so trees, page
 * tables, wait queues and locks all change through the run.
 */

/** The scenario text: `opsPerTask` ops for each of `tasks` tasks. */
export function longScenario(tasks = 6, opsPerTask = 300): string {
  const lines = [
    'name: long-run',
    'description: generated; about 10,000 steps of mixed faults, writes and syncs',
    'files:',
    '  - { path: data, size: 16MiB }',
    'processes:',
    '  - name: p',
    '    mappings: [{ name: m, file: data, offset: 0, length: 16MiB }]',
    '  - name: q',
    // Misaligned against the file: q's faults fall back to 4 KiB (M3), so it has PTE tables.
    '    mappings: [{ name: m, file: data, offset: 4KiB, length: 12MiB }]',
    'tasks:',
  ];
  for (let t = 0; t < tasks; t++) {
    lines.push(`  - name: w${t}`, `    process: ${t % 2 === 0 ? 'p' : 'q'}`, '    ops:');
    for (let i = 0; i < opsPerTask; i++) {
      const page = (i * 37 + t * 101) % 3000;
      const off = `0x${(page * 4096).toString(16)}`;
      switch ((i + t) % 8) {
        case 0:
        case 1:
          lines.push(`      - read: { map: m, offset: ${off}, length: 8 }`);
          break;
        case 2:
        case 3:
          lines.push(`      - write: { map: m, offset: ${off}, data: "w${t}" }`);
          break;
        case 4:
          lines.push(`      - pwrite: { file: data, offset: ${off}, data: "p${t}" }`);
          break;
        case 5:
          lines.push(`      - pread: { file: data, offset: ${off}, length: 16 }`);
          break;
        case 6:
          lines.push(`      - msync: { map: m, offset: ${off}, length: 4096 }`);
          break;
        default:
          lines.push('      - fsync: { file: data }');
      }
    }
  }
  return `${lines.join('\n')}\n`;
}
