/**
 * `daxsim replay` (design.md CLI contract). Placeholder while the checker is built (issue 6).
 */
import type { Command } from 'commander';

/** Register `replay`. */
export function registerReplay(_program: Command): void {}
