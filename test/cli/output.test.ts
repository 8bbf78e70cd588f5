/** Output files of --trace / --ftrace: checked up front, and a failed write is a UsageError (exit 2). */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/cli/errors.js';
import { checkOutputPath, writeOutput } from '../../src/cli/output.js';

describe('output files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'daxsim-out-'));

  it('accepts a new file in an existing folder, and no flag at all', () => {
    expect(() => checkOutputPath('--trace', join(dir, 't.json'))).not.toThrow();
    expect(() => checkOutputPath('--trace', undefined)).not.toThrow();
  });

  it('refuses a missing folder, a folder, and an empty name, naming the flag', () => {
    expect(() => checkOutputPath('--trace', join(dir, 'no', 't.json'))).toThrow(/--trace: .*no such folder/);
    expect(() => checkOutputPath('--ftrace', dir)).toThrow(/--ftrace: .*folder/);
    expect(() => checkOutputPath('--trace', '')).toThrow(UsageError);
  });

  it('a write that fails is a UsageError naming the flag and path', () => {
    expect(() => writeOutput('--trace', join(dir, 'gone', 'x'), '{}')).toThrow(UsageError);
    expect(() => writeOutput('--trace', join(dir, 'gone', 'x'), '{}')).toThrow(/--trace: cannot write/);
  });
});
