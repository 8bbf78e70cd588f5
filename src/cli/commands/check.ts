/**
 * `daxsim check` (design.md CLI contract). Placeholder while the checker is built (issue 6).
 */
import type { Command } from 'commander';

/** Register `check`. */
export function registerCheck(_program: Command): void {}
