/**
 * A scenario the schema accepts but the model cannot set up: a device over the model's size
 * limit, files that do not fit on their device, initial mappings that collide. The World
 * throws it while building, naming the scenario key responsible; the loader turns it into a
 * positioned `ScenarioError` by setting the World up once at load time.
 *
 * Invariant: `path` is a path into the scenario document (`files[1].size`), so the message
 * names the key the user has to change.
 */
import { type DocPath, formatDocPath } from './scenario/error.js';

/** The model cannot build this part of the World. */
export class SetupError extends Error {
  override readonly name = 'SetupError';

  constructor(
    readonly path: DocPath,
    readonly expected: string,
    readonly got: string,
  ) {
    super(`${formatDocPath(path)}: expected ${expected}, got ${got}`);
  }
}

/** Run `build`; turn any error it throws into a SetupError at `path` (`got` is its message). */
export function setupStep<T>(path: DocPath, expected: string, build: () => T): T {
  try {
    return build();
  } catch (e) {
    if (e instanceof SetupError) throw e;
    throw new SetupError(path, expected, e instanceof Error ? e.message : String(e));
  }
}
