/**
 * The scenario front end: file (YAML/JSON) → validated, normalised `Scenario` (scenario-format.md).
 *
 * Invariant: this barrel is the only import other areas need; everything it exports is stable API.
 */
export { formatByteString, parseByteString } from './byte-string.js';
export {
  type DocPath,
  formatDocPath,
  formatScenarioIssue,
  ScenarioError,
  type ScenarioIssue,
} from './error.js';
export { SCENARIO_SCHEMA_PATH, scenarioJsonSchema, scenarioJsonSchemaText } from './json-schema.js';
export {
  BUILTIN_PREFIX,
  type BuiltinScenarioInfo,
  builtinScenarioDir,
  type LoadOptions,
  listBuiltinScenarios,
  loadScenario,
  packageRoot,
} from './load.js';
export { OP_KINDS } from './op-schema.js';
export { parseScenario, scenarioNameOfFile } from './parse.js';
export { FALLBACK_REASONS, INJECT_SITES, TASK_OUTCOMES } from './schema.js';
export { formatSize, PAGE_SIZE, PMD_SIZE, parseByte, parseSize } from './sizes.js';
export type {
  ExpectSpec,
  ExtentSpec,
  FileSpec,
  InjectSpec,
  MappingSpec,
  Op,
  OpKind,
  ProcessSpec,
  Scenario,
  TaskSpec,
} from './types.js';
