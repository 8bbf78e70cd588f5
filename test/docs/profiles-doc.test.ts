/**
 * docs/profiles.md shows the switch table users read: it must be the table the model runs
 * (version/profiles.ts), row for row, and name every switch.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROFILE_NAMES, PROFILE_TABLE } from '../../src/version/profiles.js';
import { SWITCH_NAMES } from '../../src/version/switches.js';
import { ROOT } from '../cli/helpers.js';

const doc = readFileSync(join(ROOT, 'docs/profiles.md'), 'utf8');

describe('docs/profiles.md', () => {
  it('has one table row per switch with the values of version/profiles.ts', () => {
    for (const s of SWITCH_NAMES) {
      const row = `| \`${s}\` | ${PROFILE_NAMES.map((p) => PROFILE_TABLE[s][p]).join(' | ')} |`;
      expect(doc, s).toContain(row);
    }
  });

  it('describes every switch in the list after the table', () => {
    for (const s of SWITCH_NAMES) expect(doc, s).toContain(`**\`${s}\`**`);
  });
});
