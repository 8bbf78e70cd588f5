/**
 * A progress line on stderr for long runs: shown only when stderr is a terminal and the work
 * has taken over a second, redrawn at most every 100 ms, erased when done. Host time is used
 * here, in the CLI, never inside the model.
 */
export class Progress {
  private readonly started: number;
  private last = 0;
  private shown = false;

  constructor(
    private readonly label: string,
    private readonly stream: { write(text: string): unknown } = process.stderr,
    private readonly enabled: boolean = process.stderr.isTTY === true,
    private readonly now: () => number = Date.now,
  ) {
    this.started = now();
  }

  /** Report progress: `fraction` in [0, 1] draws a bar, else just the text. */
  update(text: string, fraction?: number): void {
    if (!this.enabled) return;
    const now = this.now();
    if (now - this.started < 1000 || now - this.last < 100) return;
    this.last = now;
    this.shown = true;
    let bar = '';
    if (fraction !== undefined) {
      const width = 24;
      const filled = Math.round(Math.max(0, Math.min(1, fraction)) * width);
      bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}% `;
    }
    this.stream.write(`\r${this.label} ${bar}${text}\x1b[K`);
  }

  /** Erase the line, if one was drawn. */
  finish(): void {
    if (this.shown) this.stream.write('\r\x1b[K');
    this.shown = false;
  }
}
