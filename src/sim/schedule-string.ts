/**
 * The schedule string (S2, S6): the compact, human-copyable record of a run's choices.
 *
 * Grammar: runs separated by '.'; a run is a token optionally followed by `x<count>` (count
 * >= 2). A token is a task id in decimal (a scheduling choice where more than one task was
 * runnable) or `F` / `S` (an injected-failure choice: fail / succeed). Example: `0x3.1.F.2x12`.
 * Only shell-safe characters are used, so a schedule can be pasted into a command line.
 *
 * Invariants:
 * - decodeSchedule(encodeSchedule(t)) deep-equals t for every token list t.
 * - encodeSchedule is canonical: adjacent equal tokens are always merged into one run.
 */

/** One recorded choice: a task id, or an injected-failure decision ('F' fail, 'S' succeed). */
export type ScheduleToken = number | 'F' | 'S';

const FAIL = -1;
const SUCCEED = -2;

function tokenCode(tok: ScheduleToken): number {
  return tok === 'F' ? FAIL : tok === 'S' ? SUCCEED : tok;
}

function codeToken(code: number): ScheduleToken {
  return code === FAIL ? 'F' : code === SUCCEED ? 'S' : code;
}

/** FNV-1a (32 bits): offset basis and prime. */
export const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const DOT = 0x2e;
const CHAR_F = 0x46;
const CHAR_S = 0x53;
const CHAR_X = 0x78;
const DIGIT_0 = 0x30;

/** One FNV-1a step over character code `c` (the caller takes `>>> 0` at the end). */
export function fnvChar(h: number, c: number): number {
  return Math.imul(h ^ c, FNV_PRIME);
}

/** FNV-1a steps over the decimal digits of the non-negative integer `n` (below 2^53). */
function fnvDecimal(h: number, n: number): number {
  if (n >= 10) h = fnvDecimal(h, Math.floor(n / 10));
  return fnvChar(h, DIGIT_0 + (n % 10));
}

/**
 * Run-length accumulator for schedule tokens. Runs live in typed arrays that double when
 * full, so recording millions of choices costs no per-choice allocation and no GC scanning.
 */
export class ScheduleRecorder {
  private codes = new Int32Array(64);
  private counts = new Float64Array(64);
  private runs = 0;
  private total = 0;

  /** Append one choice. */
  push(tok: ScheduleToken): void {
    const code = typeof tok === 'number' ? tok : tokenCode(tok);
    this.total++;
    const n = this.runs;
    if (n > 0 && this.codes[n - 1] === code) {
      this.counts[n - 1]!++;
      return;
    }
    if (n === this.codes.length) this.grow();
    this.codes[n] = code;
    this.counts[n] = 1;
    this.runs = n + 1;
  }

  /** Number of choices recorded. */
  get length(): number {
    return this.total;
  }

  /** The schedule string of the first `limit` choices (default: all). */
  toString(limit = this.total): string {
    const parts: string[] = [];
    let left = limit;
    for (let i = 0; i < this.runs && left > 0; i++) {
      const c = Math.min(this.counts[i]!, left);
      left -= c;
      const tok = String(codeToken(this.codes[i]!));
      parts.push(c > 1 ? `${tok}x${c}` : tok);
    }
    return parts.join('.');
  }

  /**
   * The 32-bit FNV-1a hash of `toString()`'s characters, without building the string (the
   * random explorer hashes every execution's schedule and keeps the string of none).
   */
  hash(): number {
    let h = FNV_OFFSET;
    for (let i = 0; i < this.runs; i++) {
      if (i > 0) h = fnvChar(h, DOT);
      const code = this.codes[i]!;
      h = code === FAIL ? fnvChar(h, CHAR_F) : code === SUCCEED ? fnvChar(h, CHAR_S) : fnvDecimal(h, code);
      const c = this.counts[i]!;
      if (c > 1) h = fnvDecimal(fnvChar(h, CHAR_X), c);
    }
    return h >>> 0;
  }

  /** Every choice, expanded. */
  tokens(): ScheduleToken[] {
    const out: ScheduleToken[] = [];
    for (let i = 0; i < this.runs; i++) {
      const tok = codeToken(this.codes[i]!);
      for (let c = 0; c < this.counts[i]!; c++) out.push(tok);
    }
    return out;
  }

  private grow(): void {
    const codes = new Int32Array(this.codes.length * 2);
    codes.set(this.codes);
    this.codes = codes;
    const counts = new Float64Array(this.counts.length * 2);
    counts.set(this.counts);
    this.counts = counts;
  }
}

/** Encode choices as a schedule string (canonical run-length form). */
export function encodeSchedule(tokens: readonly ScheduleToken[]): string {
  const r = new ScheduleRecorder();
  for (const t of tokens) {
    if (t !== 'F' && t !== 'S' && !(Number.isInteger(t) && t >= 0)) {
      throw new RangeError(`encodeSchedule: bad token ${String(t)} (expected a task id >= 0, 'F' or 'S')`);
    }
    r.push(t);
  }
  return r.toString();
}

const RUN = /^(\d+|F|S)(?:x(\d+))?$/;

/** A schedule in run-length form: `toks[i]` repeated `counts[i]` times. */
export interface ScheduleRuns {
  toks: ScheduleToken[];
  counts: number[];
}

/** Parse a schedule string into runs without expanding them; throws RangeError naming the bad run. */
export function parseScheduleRuns(schedule: string): ScheduleRuns {
  const s = schedule.trim();
  const out: ScheduleRuns = { toks: [], counts: [] };
  if (s === '' || s === '-') return out;
  const runs = s.split('.');
  for (let i = 0; i < runs.length; i++) {
    const run = runs[i]!;
    const m = RUN.exec(run);
    if (m === null) {
      throw new RangeError(
        `schedule: run ${i + 1} '${run}' is not a task id, F or S with an optional xCOUNT (e.g. 0x3.1.F)`,
      );
    }
    const tok: ScheduleToken = m[1] === 'F' || m[1] === 'S' ? m[1] : Number(m[1]);
    const count = m[2] === undefined ? 1 : Number(m[2]);
    if (count < 1 || !Number.isSafeInteger(count)) {
      throw new RangeError(`schedule: run ${i + 1} '${run}' has a bad count (expected an integer >= 1)`);
    }
    out.toks.push(tok);
    out.counts.push(count);
  }
  return out;
}

/** Decode a schedule string into its expanded choices; throws RangeError naming the bad run. */
export function decodeSchedule(schedule: string): ScheduleToken[] {
  const { toks, counts } = parseScheduleRuns(schedule);
  const out: ScheduleToken[] = [];
  for (let i = 0; i < toks.length; i++) for (let c = 0; c < counts[i]!; c++) out.push(toks[i]!);
  return out;
}
