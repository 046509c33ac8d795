import { AbortError } from '../errors/abort-error.js';
import { InvalidInputError } from '../errors/invalid-input-error.js';
import { linkedController, raceAbort } from '../utils/abort.js';
import { type Logger, silentLogger } from '../utils/logger.js';
import { checkCount } from '../utils/option-checks.js';
import type { BackgroundTaskReport, BackgroundTasksSummary } from './llm-client.js';
import type { ToolCall } from './message.js';
import type { Tool } from './tool.js';

/** Options of {@link BackgroundTasks}. */
export interface BackgroundTasksOptions {
  /**
   * Settled tasks kept for the next `wait()`; past it the oldest reports are dropped (and
   * counted in `dropped`), so a client nobody waits on does not grow without bound.
   * @default 1000
   */
  maxSettled?: number;
  /** Receives a warning for each failed task. @default silent */
  logger?: Logger;
  /** Called when a task settles, failures included. */
  onSettled?: (report: BackgroundTaskReport) => void;
}

/**
 * The detached tasks that LLM clients start for `backgroundTasks` tools: each runs with a
 * signal of its own (its tool's `timeoutMs`, and `close()`), settled reports are kept in a
 * bounded buffer until `wait()` takes them. Pass one to several clients to track them together.
 *
 * @example
 * ```ts
 * const tasks = new BackgroundTasks({ maxSettled: 100 });
 * const llm = new ScriptedLLMClient([{ text: 'ok' }], { backgroundTasks: tasks });
 * await tasks.close(AbortSignal.timeout(5_000)); // stops what still runs
 * ```
 */
export class BackgroundTasks {
  readonly #running = new Map<Promise<void>, AbortController>();
  #settled: BackgroundTaskReport[] = [];
  #dropped = 0;
  #closed = false;
  readonly #maxSettled: number;
  readonly #logger: Logger;
  readonly #onSettled: ((report: BackgroundTaskReport) => void) | undefined;

  constructor(options: BackgroundTasksOptions = {}) {
    checkCount(options.maxSettled, 'maxSettled', 0);
    this.#maxSettled = options.maxSettled ?? 1000;
    this.#logger = options.logger ?? silentLogger;
    this.#onSettled = options.onSettled;
  }

  /** Tasks still running. */
  get pending(): number {
    return this.#running.size;
  }

  /** Starts `tool` detached. After `close()`, a task is not started: it settles as rejected. */
  start<A>(name: string, call: ToolCall, tool: Tool<A, unknown>, args: A): void {
    if (this.#closed) {
      const error = new AbortError('Background tasks are closed');
      this.#report({ name, toolCallId: call.id, status: 'rejected', error });
      return;
    }
    const run = linkedController(undefined, tool.timeoutMs, `Background task "${name}"`);
    const task: Promise<void> = raceAbort(
      Promise.resolve().then(() =>
        tool.execute(args, { signal: run.signal, toolCallId: call.id, toolName: name }),
      ),
      run.signal,
    )
      .then(
        (output) => this.#report({ name, toolCallId: call.id, status: 'fulfilled', output }),
        (error: unknown) => {
          const err = error instanceof Error ? error : new Error(String(error));
          this.#logger.warn('arshai: background task failed', {
            task: name,
            toolCallId: call.id,
            error: err.name,
          });
          this.#report({ name, toolCallId: call.id, status: 'rejected', error: err });
        },
      )
      .finally(() => {
        run.dispose();
        this.#running.delete(task);
      });
    this.#running.set(task, run.controller);
  }

  /**
   * Waits until every task settles, or `timeoutMs` passes (without cancelling them), and
   * hands over the reports settled since the previous wait.
   */
  async wait(timeoutMs?: number): Promise<BackgroundTasksSummary> {
    if (timeoutMs !== undefined && !(timeoutMs >= 0 && Number.isFinite(timeoutMs))) {
      throw new InvalidInputError('timeoutMs', 'must be a non-negative number of milliseconds');
    }
    const until = timeoutMs === undefined ? undefined : Date.now() + timeoutMs;
    while (this.#running.size > 0) {
      const all = Promise.all(this.#running.keys());
      if (until === undefined) {
        await all;
        continue;
      }
      const left = until - Date.now();
      if (left <= 0) break;
      let timer: NodeJS.Timeout | undefined;
      const timedOut = await Promise.race([
        all.then(() => false),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(true), left);
        }),
      ]);
      clearTimeout(timer);
      if (timedOut) break;
    }
    return this.#take();
  }

  /**
   * Aborts every running task (their signals fire with an `AbortError`), refuses new ones,
   * and waits until they have settled, or until `signal` aborts (then `pending` counts the
   * tasks that had not settled yet). Resolves with the reports not taken yet.
   */
  async close(signal?: AbortSignal): Promise<BackgroundTasksSummary> {
    this.#closed = true;
    const reason = new AbortError('Background tasks were closed');
    for (const controller of this.#running.values()) controller.abort(reason);
    const settling = Promise.all(this.#running.keys());
    if (signal) await Promise.race([settling, abortedPromise(signal)]);
    else await settling;
    return this.#take();
  }

  #take(): BackgroundTasksSummary {
    const settled = this.#settled;
    const dropped = this.#dropped;
    this.#settled = [];
    this.#dropped = 0;
    return { settled, pending: this.#running.size, ...(dropped ? { dropped } : {}) };
  }

  #report(report: BackgroundTaskReport): void {
    this.#settled.push(report);
    if (this.#settled.length > this.#maxSettled) {
      this.#settled.shift();
      this.#dropped++;
    }
    try {
      this.#onSettled?.(report);
    } catch (error) {
      this.#logger.error('arshai: onBackgroundTask callback threw', {
        error: error instanceof Error ? error.name : typeof error,
      });
    }
  }
}

/** Resolves when `signal` aborts (listener removed with the signal). */
function abortedPromise(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) =>
    signal.addEventListener('abort', () => resolve(), { once: true }),
  );
}
