/**
 * Helpers for the scenario error tests: build small documents line by line, and assert that parsing one
 * fails with an issue at a position found by searching the text (independently of the YAML node ranges
 * the loader uses), with the path, "expected" and "got" phrases, and the one-line message.
 */
import { expect } from 'vitest';
import { ScenarioError } from '../../src/workload/scenario/error.js';
import { parseScenario } from '../../src/workload/scenario/parse.js';

/** Lines joined with newlines, so a case reads like the file and line numbers are easy to count. */
export const doc = (...lines: string[]) => `${lines.join('\n')}\n`;
/** The three lines declaring one 4MiB file `data`. */
export const FILES = ['files:', '  - path: data', '    size: 4MiB'];
/** A document that starts with `FILES`. */
export const withFiles = (...lines: string[]) => doc(...FILES, ...lines);

/** The ScenarioError that parsing `text` throws (fails the test if it parses or throws anything else). */
export function errorOf(text: string, file = 'bad.yaml'): ScenarioError {
  try {
    parseScenario(text, file);
  } catch (e) {
    if (e instanceof ScenarioError) return e;
    throw e;
  }
  throw new Error('expected a ScenarioError, but the scenario parsed');
}

/** Where an issue must point: the line holding `lineText`, the column where `colText` starts in it. */
export type At = string | [lineText: string, colText: string];

/** The issue a case expects. */
export interface Want {
  at: At;
  path: string;
  expected: string | RegExp;
  got?: string | RegExp;
}

function position(text: string, at: At): { line: number; column: number } {
  const [lineText, colText] = typeof at === 'string' ? [at, at] : at;
  const lines = text.split('\n');
  const index = lines.findIndex((l) => l.includes(lineText));
  const column = (lines[index] ?? '').indexOf(colText) + 1;
  if (index < 0 || column < 1) throw new Error(`test bug: ${JSON.stringify(at)} not in the text`);
  return { line: index + 1, column };
}

function expectText(actual: string, want: string | RegExp): void {
  if (typeof want === 'string') expect(actual).toBe(want);
  else expect(actual).toMatch(want);
}

/** Parse `text` (as bad.yaml) and check the first issue against `want`; returns the error. */
export function expectIssue(text: string, want: Want): ScenarioError {
  const e = errorOf(text);
  const { line, column } = position(text, want.at);
  expect({ line: e.line, column: e.column, path: e.path }).toEqual({ line, column, path: want.path });
  expectText(e.expected, want.expected);
  if (want.got !== undefined) expectText(e.got, want.got);
  const path = want.path === '' ? '' : ` ${want.path}:`;
  expect(e.message).toBe(`bad.yaml:${line}:${column}:${path} expected ${e.expected}, got ${e.got}`);
  return e;
}
