/**
 * The last stage of loading: set the scenario's machine up once (device, filesystem, files,
 * initial mappings) and report what the model refuses, at the key responsible. The schema and
 * value checks cannot see everything setup does (the allocator's alignment waste, where an
 * `auto` mapping lands), so setting up is the one exact check.
 *
 * Invariants: cheap (storage is lazy, files are set up without their `fill`, no task runs);
 * pure apart from the World it builds and drops; returns the SetupError, never throws it.
 */
import { switchMutation } from '../../version/bug-overrides.js';
import { SetupError } from '../setup-error.js';
import { mutationProblem, World } from '../world.js';
import type { Scenario } from './types.js';

/** The SetupError of building `scenario`'s machine, or null when it builds. */
export function setupProblem(scenario: Omit<Scenario, 'source'>): SetupError | null {
  for (const [i, name] of scenario.mutations.entries()) {
    const why = mutationProblem(name, scenario.profile);
    if (why === null) continue;
    // An unknown name is shown as given; a bad switch value with the values it takes.
    const got = switchMutation(name) === undefined ? `'${name}'` : why;
    return new SetupError(['mutations', i], 'a mutation `daxsim mutations` lists, or SWITCH=VALUE', got);
  }
  try {
    new World({
      device: scenario.device,
      fs: scenario.fs,
      files: scenario.files.map((f) => ({ ...f, fill: 0 })),
      processes: scenario.processes,
    });
    return null;
  } catch (e) {
    if (e instanceof SetupError) return e;
    throw e;
  }
}
