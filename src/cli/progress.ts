/** Where the CLI writes: a stream and whether it is an interactive terminal. */
export interface Output {
  write(text: string): void;
  isTTY: boolean;
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** Formats milliseconds for people: `850 ms`, `1.2 s`. */
export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/**
 * Live step progress: a spinner and timer on one line in a terminal, plain lines otherwise
 * (nothing garbled when piped).
 */
export class Progress {
  readonly #out: Output;
  #timer: NodeJS.Timeout | undefined;
  #label = '';
  #startedAt = 0;
  #frame = 0;

  constructor(out: Output) {
    this.#out = out;
  }

  /** A step begins. */
  start(label: string): void {
    this.stopSpinner();
    this.#label = label;
    this.#startedAt = performance.now();
    if (!this.#out.isTTY) {
      this.#out.write(`▶ ${label}\n`);
      return;
    }
    this.#render();
    this.#timer = setInterval(() => this.#render(), 80);
    this.#timer.unref();
  }

  /** The current step ended; `detail` is printed after its duration. */
  end(ok: boolean, detail = ''): number {
    const ms = performance.now() - this.#startedAt;
    this.stopSpinner();
    const mark = ok ? '✔' : '✖';
    const suffix = detail ? `  ${detail}` : '';
    this.#out.write(
      `${this.#out.isTTY ? '\r\x1b[2K' : ''}${mark} ${this.#label} (${formatDuration(ms)})${suffix}\n`,
    );
    return ms;
  }

  /** A line of information under the current step. */
  note(text: string): void {
    if (this.#out.isTTY && this.#timer) this.#out.write('\r\x1b[2K');
    this.#out.write(`    ${text}\n`);
    if (this.#out.isTTY && this.#timer) this.#render();
  }

  stopSpinner(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #render(): void {
    const ms = performance.now() - this.#startedAt;
    const frame = FRAMES[this.#frame++ % FRAMES.length];
    this.#out.write(`\r\x1b[2K${frame} ${this.#label} ${formatDuration(ms)}`);
  }
}

/** Renders rows as an aligned text table with a header rule. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
      .join('  ');
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
