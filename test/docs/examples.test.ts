/**
 * The scenarios shown in docs/ are real: every YAML block with `files:` and `tasks:` parses and
 * runs without a violation or a failed expectation (scenario-format.md's complete example).
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectCleanRun } from '../helpers/scenario.js';

const ROOT = resolve(import.meta.dirname, '../..');

function scenarioBlocks(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  return [...text.matchAll(/```yaml\n([\s\S]*?)```/g)]
    .map((m) => m[1]!)
    .filter((b) => /^files:/m.test(b) && /^tasks:/m.test(b));
}

describe('scenarios in the docs', () => {
  it('docs/scenario-format.md: the complete example runs clean and meets its expectations', () => {
    const blocks = scenarioBlocks('docs/scenario-format.md');
    expect(blocks.length).toBeGreaterThan(0);
    for (const b of blocks) {
      const { report } = expectCleanRun(b);
      expect(report.expectations).toBeGreaterThan(0);
    }
  });
});
