/**
 * `parseScenario`: scenario text → validated, normalised `Scenario`, or a `ScenarioError`.
 *
 * Invariants:
 * - stages run in order and each stops the pipeline when it finds anything: YAML syntax (the parser's
 *   first error), the zod schema (all issues), value and name checks (all issues); so later stages may
 *   assume what earlier ones established, and every issue reported is about the input as written;
 * - every issue carries file, line, column, path and the expected/got phrases (error.ts);
 * - the last stage sets the machine up once (setup-check.ts): what the model cannot build (a file
 *   larger than its device, colliding mappings) is an issue at the key responsible, not a crash later;
 * - pure apart from reading its arguments: no file system access (load.ts does that).
 */
import { basename, extname } from 'node:path';
import { checkNames } from './check-names.js';
import { checkValues } from './check-values.js';
import { ScenarioError } from './error.js';
import { normaliseScenario } from './normalise.js';
import { ScenarioFileSchema } from './schema.js';
import { setupProblem } from './setup-check.js';
import type { Scenario } from './types.js';
import { locate, parseYamlSource, positionIssue } from './yaml-source.js';
import { expectedPhrase, fromZodIssues } from './zod-issues.js';

/** The scenario name a file implies: its base name without extension (`a/b/review.yaml` → `review`). */
export function scenarioNameOfFile(file: string): string {
  return basename(file, extname(file));
}

/** Parse and validate scenario text (YAML or JSON); `file` names it in messages and is `source`. */
export function parseScenario(text: string, file: string): Scenario {
  const parsed = parseYamlSource(text, file);
  if (!parsed.ok) throw new ScenarioError([parsed.issue]);
  const { source } = parsed;
  const result = ScenarioFileSchema.safeParse(parsed.value, { error: expectedPhrase });
  if (!result.success) throw new ScenarioError(fromZodIssues(source, result.error.issues));
  const raw = result.data;
  const issues = [...checkValues(raw), ...checkNames(raw)];
  if (issues.length > 0) throw new ScenarioError(issues.map((issue) => positionIssue(source, issue)));
  const scenario = normaliseScenario(raw, {
    defaultName: scenarioNameOfFile(file),
    source: file,
    lineOf: (path) => locate(source, path).line,
  });
  const setup = setupProblem(scenario);
  if (setup !== null) {
    const { path, expected, got } = setup;
    throw new ScenarioError([positionIssue(source, { path, expected, got })]);
  }
  return scenario;
}
