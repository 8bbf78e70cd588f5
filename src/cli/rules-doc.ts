/**
 * The rule reference (docs/rules.md) as data: one entry per rule id, for `daxsim rules`.
 *
 * Format read: an entry starts at a level-3 heading whose first word is the id
 * (`### G2: downgrade ...`) and runs to the next level-2 or level-3 heading. Ids are matched
 * case-insensitively. The file is the one source of truth; nothing here repeats its content.
 *
 * Invariant: pure in the text; `parseRules` never throws (a malformed file yields fewer entries,
 * and the docs test catches that).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../workload/scenario/load.js';

/** Where the reference lives, relative to the package root. */
export const RULES_DOC = 'docs/rules.md';

/** One rule: its id, its heading's title, and its whole section (heading included). */
export interface RuleEntry {
  id: string;
  title: string;
  text: string;
}

const ENTRY_HEADING = /^###\s+([A-Za-z][\w-]*)[:\s]\s*(.*)$/;

/** Every entry of the reference, in file order. */
export function parseRules(markdown: string): RuleEntry[] {
  const out: RuleEntry[] = [];
  let current: { id: string; title: string; lines: string[] } | null = null;
  const close = () => {
    if (current !== null)
      out.push({ id: current.id, title: current.title, text: current.lines.join('\n').trim() });
    current = null;
  };
  for (const line of markdown.split('\n')) {
    const m = ENTRY_HEADING.exec(line);
    if (m !== null) {
      close();
      current = { id: m[1]!, title: m[2]!.trim(), lines: [line] };
    } else if (/^##?\s/.test(line)) close();
    else current?.lines.push(line);
  }
  close();
  return out;
}

/** The reference's text as shipped with the package. */
export function readRulesDoc(): string {
  return readFileSync(join(packageRoot(), RULES_DOC), 'utf8');
}

/** The entry for `id` (case-insensitive), if the reference has one. */
export function findRule(entries: readonly RuleEntry[], id: string): RuleEntry | undefined {
  const want = id.toLowerCase();
  return entries.find((e) => e.id.toLowerCase() === want);
}
