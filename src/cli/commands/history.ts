/**
 * `daxsim history [--check] [--json]`: the upstream fixes the model expresses, each as its
 * profile with the fix and the same profile with the switch set back, and a built-in scenario;
 * with --check, the checker's verdict on both (version/history.ts, check/history.ts). Exit 1
 * with --check when a row is not re-found. The changes no invariant can show are listed after
 * the table with the reason.
 */
import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import { beforeOverride, checkHistory, type HistoryVerdict } from '../../check/history.js';
import { HISTORY, NOT_REFOUND } from '../../version/history.js';
import { EXIT } from '../errors.js';
import type { CliContext } from '../io.js';
import { Progress } from '../progress.js';

function listText(): string {
  const lines = [
    'fix                         tag         before (= after + switch)                     after   scenario',
  ];
  for (const r of HISTORY) {
    const before = `${r.profile} + ${beforeOverride(r)}`;
    lines.push(
      `${r.commit.padEnd(27)} ${r.tag.padEnd(11)} ${before.padEnd(45)} ${r.profile.padEnd(7)} ${r.scenario}`,
    );
    lines.push(`    ${r.title}`);
    lines.push(`    before: ${r.symptom}`);
    if (r.shipped.length > 0) lines.push(`    shipped in: ${r.shipped.join(', ')}`);
  }
  return `${lines.join('\n')}\n${notRefoundText()}`;
}

function notRefoundText(): string {
  const lines = ['', 'switch changes no invariant can show'];
  for (const n of NOT_REFOUND) lines.push(`  ${n.commit} ${n.knob}: ${n.why}`);
  return `${lines.join('\n')}\n`;
}

function sideText(s: HistoryVerdict['before']): string {
  return s.result === 'pass'
    ? `pass (${s.executions} executions${s.exhausted ? ', exhausted' : ''})`
    : `${s.invariant} in ${s.executions} executions`;
}

function verdictText(vs: readonly HistoryVerdict[]): string {
  const lines = [
    'fix                         scenario                      before                      after',
  ];
  for (const v of vs) {
    const mark = v.refound ? '' : '   NOT RE-FOUND';
    lines.push(
      `${v.commit.padEnd(27)} ${v.scenario.replace('builtin:', '').padEnd(29)} ${sideText(v.before).padEnd(27)} ${sideText(v.after)}${mark}`,
    );
    if (v.before.message !== null) lines.push(`    ${v.before.invariant}: ${v.before.message}`);
    if (v.before.replay !== null) lines.push(`    ${v.before.replay}`);
    if (v.after.message !== null) lines.push(`    after: ${v.after.invariant}: ${v.after.message}`);
  }
  const found = vs.filter((v) => v.refound).length;
  lines.push('', `re-found: ${found}/${vs.length}`);
  return `${lines.join('\n')}\n${notRefoundText()}`;
}

/** Register `history`. */
export function registerHistory(program: Command, ctx: CliContext): void {
  program
    .command('history')
    .description('the upstream fixes the model expresses; --check re-finds each bug before its fix')
    .option('--check', 'run the checker before and after each fix')
    .option('--json', 'print one JSON object')
    .action(async (flags: { check?: boolean; json?: boolean }) => {
      if (!flags.check) {
        ctx.io.out(
          flags.json ? `${JSON.stringify({ fixes: HISTORY, notRefound: NOT_REFOUND })}\n` : listText(),
        );
        ctx.exitCode = EXIT.ok;
        return;
      }
      const progress = new Progress('history --check', { write: ctx.io.err }, ctx.io.errIsTTY);
      const vs = await checkHistory(
        { workers: availableParallelism(), shrink: true },
        undefined,
        (v, done, of) => progress.update(v.commit, done / of),
      );
      progress.finish();
      const refound = vs.filter((v) => v.refound).length;
      if (flags.json) {
        ctx.io.out(`${JSON.stringify({ fixes: vs, refound, total: vs.length, notRefound: NOT_REFOUND })}\n`);
      } else ctx.io.out(verdictText(vs));
      ctx.exitCode = refound === vs.length ? EXIT.ok : EXIT.violation;
    });
}
