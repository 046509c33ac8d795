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
 * Live step progress. In a terminal: one spinner line naming the running steps with a timer,
 * and a line per finished step. Piped: plain `▶` / `✔` lines, no control characters.
 */
export class Progress {
  readonly #out: Output;
  readonly #running = new Map<string, number>();
  #timer: NodeJS.Timeout | undefined;
  #frame = 0;

  constructor(out: Output) {
    this.#out = out;
  }

  start(step: string): void {
    this.#running.set(step, performance.now());
    if (!this.#out.isTTY) {
      this.#out.write(`▶ ${step}\n`);
      return;
    }
    if (!this.#timer) {
      this.#timer = setInterval(() => this.#render(), 80);
      this.#timer.unref();
    }
    this.#render();
  }

  /** A step ended; returns its duration. */
  end(step: string, mark: '✔' | '✖' | '⏸', detail = ''): number {
    const started = this.#running.get(step) ?? performance.now();
    this.#running.delete(step);
    const ms = performance.now() - started;
    this.line(
      `${mark} ${step.padEnd(12)} ${formatDuration(ms).padStart(7)}${detail ? `  ${detail}` : ''}`,
    );
    if (this.#running.size === 0) this.stop();
    return ms;
  }

  /** Prints a line above the spinner. */
  line(text: string): void {
    this.#out.write(`${this.#out.isTTY ? '\r\x1b[2K' : ''}${text}\n`);
    if (this.#out.isTTY && this.#running.size) this.#render();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    if (this.#out.isTTY) this.#out.write('\r\x1b[2K');
  }

  #render(): void {
    const first = Math.min(...this.#running.values());
    const frame = FRAMES[this.#frame++ % FRAMES.length];
    this.#out.write(
      `\r\x1b[2K${frame} ${[...this.#running.keys()].join(', ')} ${formatDuration(performance.now() - first)}`,
    );
  }
}

/** Rows as an aligned text table with a header rule (first column left, others right). */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
      .join('  ');
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** A short one-line preview of a value. */
export function preview(value: unknown, max = 70): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  const flat = (text ?? 'undefined').replace(/\s+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
