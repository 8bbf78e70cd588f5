/**
 * `daxsim mutations` (design.md CLI contract). Placeholder while the checker is built (issue 6).
 */
import type { Command } from 'commander';

/** Register `mutations`. */
export function registerMutations(_program: Command): void {}
