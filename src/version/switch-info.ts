/**
 * What the catalogue says of each switch: its values, where the kernel reads it, the rules it
 * touches, and the commits that changed it.
 *
 * Invariant: declarations only.
 */

/** One change of a switch's value upstream. */
export interface SwitchChange {
  /** Abbreviated commit id. */
  commit: string;
  title: string;
  /** The first tag that contains it (as far as known; `~` marks an inference). */
  tag: string;
  /** The value from this commit on. */
  to: string;
}

/** A switch's documentation. */
export interface SwitchInfo {
  readonly values: readonly string[];
  /** The kernel functions where the switch is read. */
  readonly sites: string;
  /** Spec rule ids it touches. */
  readonly rules: string;
  /** What each value does, in one line each. */
  readonly meaning: Readonly<Record<string, string>>;
  readonly changes: readonly SwitchChange[];
  /** For a group switch: the parts the model reads (each with the same values). */
  readonly parts?: readonly string[];
}
