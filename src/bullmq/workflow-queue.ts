import { AbortError } from '../errors/abort-error.js';
import { InvalidInputError } from '../errors/invalid-input-error.js';
import { type Budget, BudgetExceededError, BudgetMeter } from '../llm/budget.js';
import type { ApprovalDecision } from '../llm/tool-approval.js';
import type { TelemetryOptions } from '../telemetry/telemetry-types.js';
import { abortErrorFrom, linkedController } from '../utils/abort.js';
import { silentLogger } from '../utils/logger.js';
import { checkCount, checkTimeoutMs } from '../utils/option-checks.js';
import type { Checkpointer } from '../workflows/checkpointer.js';
import type { CompiledWorkflow } from '../workflows/compiled-workflow.js';
import { cancelRun, claimStored, positionOfRun, storedRun } from '../workflows/run-claim.js';
import { assertContinuable } from '../workflows/run-compat.js';
import { assertOwnRun } from '../workflows/run-position.js';
import type { InitialState, RunPosition, RunStartOptions } from '../workflows/runner-options.js';
import type { WorkflowResult } from '../workflows/workflow-events.js';
import { WorkflowRunner } from '../workflows/workflow-runner.js';
import { NoWorkerError } from './queue-errors.js';
import { RunEvents } from './run-events.js';
import { type QueueSideOptions, queueNames } from './step-jobs.js';
import { StepQueues } from './step-queues.js';

/** Options of {@link WorkflowQueue}. */
export interface WorkflowQueueOptions extends QueueSideOptions {
  /** Where runs are stored; the workers must use the same store. */
  checkpointer: Checkpointer;
  /**
   * Time limit of each call to Redis (waiting for a connection included): past it the call
   * fails with a retryable `StoreError` instead of hanging.
   * @default 5000
   */
  timeoutMs?: number | undefined;
  /**
   * How long `result` waits with no worker serving the run's workflow before it rejects with
   * `NoWorkerError` (the run stays queued).
   * @default 10000
   */
  noWorkerMs?: number;
  /** OpenTelemetry: each started run's trace begins here; the workers' steps join it. */
  telemetry?: TelemetryOptions;
}

declare const STATE: unique symbol;

/** A started run: its id, typed by its workflow's state (so `result(run)` is typed too). */
export interface QueuedRun<S extends object = object> {
  runId: string;
  /** Type only: never set. */
  readonly [STATE]?: S;
}

/** What `start` takes: `executeWorkflow`'s input, without the per-call time limit. */
export type QueueStartInput<S extends object, I extends object = S> = Omit<
  RunStartOptions,
  'timeoutMs'
> &
  InitialState<I>;

/**
 * The producer side of distributed workflows: starts runs, waits for their results, answers
 * interrupts, cancels. Any number of `WorkflowWorker` processes run the steps.
 *
 * @example
 * ```ts no-run
 * const queue = new WorkflowQueue({ connection: 'redis://127.0.0.1:6379', checkpointer });
 * const { runId } = await queue.start(workflow, { userId: 'u1', inputData: 'Hello' });
 * const { status, state } = await queue.result(runId);
 * await queue.close();
 * ```
 */
export class WorkflowQueue {
  readonly checkpointer: Checkpointer;
  readonly #noWorkerMs: number;
  readonly #telemetry: TelemetryOptions | undefined;
  readonly #steps: StepQueues;
  readonly #runners = new WeakMap<CompiledWorkflow<object>, WorkflowRunner<object>>();
  readonly #events: RunEvents;
  /** The graph last started under each workflow name (what `resume` checks a run against). */
  readonly #started = new Map<string, CompiledWorkflow<object>>();
  readonly #servedCache = new Map<string, { at: number; served: Promise<boolean> }>();
  #closed = false;

  constructor(options: WorkflowQueueOptions) {
    const { name, prefix } = queueNames(options);
    checkTimeoutMs(options.timeoutMs, 'timeoutMs');
    checkTimeoutMs(options.noWorkerMs, 'noWorkerMs');
    this.checkpointer = options.checkpointer;
    const logger = options.logger ?? silentLogger;
    this.#noWorkerMs = options.noWorkerMs ?? 10_000;
    this.#telemetry = options.telemetry;
    this.#steps = new StepQueues(
      options.connection,
      { name, prefix },
      logger,
      options.timeoutMs ?? 5000,
    );
    this.#events = new RunEvents(options.connection, prefix, name, logger, this.#steps.conn);
  }

  /**
   * Stores the run's first checkpoint and enqueues its first step; resolves at once with the
   * run id (the run goes on in the workers).
   */
  async start<S extends object, I extends object = S>(
    workflow: CompiledWorkflow<S, I>,
    input: QueueStartInput<S, I>,
  ): Promise<QueuedRun<S>> {
    this.#open();
    const runner = this.#runner(workflow);
    this.#started.set(workflow.name, workflow as unknown as CompiledWorkflow<object>);
    const run = await runner.createRun(input);
    try {
      await this.#steps.enqueue(workflow.name, run, input.signal);
    } catch (error) {
      // Nothing will run it: the run never started (a best-effort cleanup; recover() also
      // enqueues runs left without a job).
      await this.checkpointer.delete(run.runId).catch(() => undefined);
      throw error;
    }
    return { runId: run.runId };
  }

  /**
   * Waits until the run completes, fails or is interrupted, and resolves with the same
   * result as `WorkflowRunner.executeWorkflow`. A cancelled or timed-out run rejects with
   * `AbortError`; a run no worker serves rejects with `NoWorkerError` (it stays queued).
   */
  async result<S extends object = object>(
    run: string | QueuedRun<S>,
    options: { signal?: AbortSignal; timeoutMs?: number } = {},
  ): Promise<WorkflowResult<S>> {
    this.#open();
    const runId = typeof run === 'string' ? run : run.runId;
    const limit = linkedController(options.signal, options.timeoutMs, `The result of "${runId}"`);
    const { signal } = limit;
    const wake = this.#events.watch(runId);
    try {
      await this.#events.ready(signal);
      let unservedSince: number | undefined;
      let woke: 'event' | 'timeout' | undefined;
      for (;;) {
        const last = await storedRun(this.checkpointer, runId, signal);
        if (last.status === 'over-budget') {
          const meter = new BudgetMeter(last.budget ?? {}, last.spent);
          throw new BudgetExceededError(
            meter.reached() ?? 'maxModelCalls',
            meter.budget,
            meter.spent,
          );
        }
        if (last.status === 'cancelled' || last.status === 'timed-out') {
          throw new AbortError(`Run "${runId}" was ${last.status}: ${last.error?.message ?? ''}`);
        }
        const { result } = positionOfRun<S>(last);
        if (result) return result;
        if (woke === 'timeout') {
          if (await this.#served(last.workflow, signal)) unservedSince = undefined;
          else {
            unservedSince ??= Date.now();
            if (Date.now() - unservedSince >= this.#noWorkerMs)
              throw new NoWorkerError(runId, last.workflow);
          }
        }
        woke = await wake.next(1000, signal);
      }
    } catch (error) {
      if (options.signal?.aborted || signal.aborted) throw abortErrorFrom(signal);
      throw error;
    } finally {
      wake.close();
      limit.dispose();
    }
  }

  /**
   * Continues a run from any process: with `value`, the answer to its interrupt (an answer of
   * `undefined` is no answer); without, a run that stopped (cancelled, timed out, over budget
   * — pass a larger `budget` — or whose steps failed to run). Claims the run, then enqueues
   * its next step. Two processes resuming at once: one wins, the other gets
   * `RunConflictError`. Resolves with where the run stands. A run waiting for a tool
   * approval takes `{ approvals: { [callId]: { approve } } }` instead of a value.
   *
   * Before claiming, the run is checked against the graph its workers will continue it on
   * — `workflow` if given, else the graph this queue last started under the run's workflow
   * name: a run that stands at or waits in a node that graph lacks (a deploy renamed it) is
   * refused with `IncompatibleRunError` and stays as it was, so a release that has the node
   * can still resume it.
   */
  async resume<S extends object = object, I extends object = S>(
    runId: string,
    value?: unknown,
    options: {
      signal?: AbortSignal | undefined;
      budget?: Budget;
      approvals?: Record<string, ApprovalDecision>;
      /** The graph the workers run (checked before claiming). */
      workflow?: CompiledWorkflow<S, I>;
    } = {},
  ): Promise<RunPosition<object>> {
    this.#open();
    const { signal, budget, approvals } = options;
    const last = await storedRun(this.checkpointer, runId, signal);
    const graph =
      (options.workflow as CompiledWorkflow<object> | undefined) ??
      this.#started.get(last.workflow);
    if (graph) {
      assertOwnRun(graph, last, 'workflow');
      assertContinuable(graph, last);
    }
    const claimed = await claimStored(this.checkpointer, last, {
      ...(value !== undefined ? { value } : {}),
      ...(signal ? { signal } : {}),
      ...(budget ? { budget } : {}),
      ...(approvals ? { approvals } : {}),
    });
    if (claimed.status === 'running') await this.#steps.enqueue(claimed.workflow, claimed, signal);
    return claimed;
  }

  /**
   * Cancels a run: records it `cancelled` (a compare-and-set: the worker running its step
   * cannot store that step any more) and tells the workers, so the in-flight node's
   * `ctx.signal` aborts. Resolves `false` when the run had already stopped.
   */
  async cancel(
    runId: string,
    options: { reason?: string; signal?: AbortSignal } = {},
  ): Promise<boolean> {
    this.#open();
    const cancelled = await cancelRun(this.checkpointer, runId, options);
    if (cancelled) await this.#events.publish({ type: 'cancel', runId }, options.signal);
    return cancelled;
  }

  /**
   * Enqueues the step of every run left `running` longer than `olderThanMs` ago (a producer
   * that died between storing a run and enqueueing it, a job that ran out of attempts while
   * the store was down). Harmless for runs whose step is queued or running: the job id is
   * the same. Resolves with the run ids it enqueued.
   */
  async recover(options: { olderThanMs: number; signal?: AbortSignal }): Promise<string[]> {
    this.#open();
    if (options?.olderThanMs === undefined)
      throw new InvalidInputError('olderThanMs', 'is required: how old a stalled run must be');
    checkCount(options.olderThanMs, 'olderThanMs', 0);
    const before = Date.now() - options.olderThanMs;
    const runs = await this.checkpointer.listRuns({
      status: 'running',
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const enqueued: string[] = [];
    for (const run of runs) {
      if (run.status !== 'running' || Date.parse(run.updatedAt) >= before) continue;
      const last = await storedRun(this.checkpointer, run.runId, options.signal);
      if (last.status !== 'running') continue;
      await this.#steps.enqueue(last.workflow, positionOfRun(last), options.signal);
      enqueued.push(run.runId);
    }
    return enqueued;
  }

  /** Closes the queue's connections (not the checkpointer, which is yours). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#events.close();
    await this.#steps.close();
  }

  #open(): void {
    if (this.#closed) throw new AbortError('The WorkflowQueue is closed');
  }

  #runner<S extends object, I extends object>(
    workflow: CompiledWorkflow<S, I>,
  ): WorkflowRunner<S, I> {
    const key = workflow as unknown as CompiledWorkflow<object>;
    let runner = this.#runners.get(key) as WorkflowRunner<S, I> | undefined;
    if (!runner) {
      runner = new WorkflowRunner(workflow, {
        checkpointer: this.checkpointer,
        ...(this.#telemetry ? { telemetry: this.#telemetry } : {}),
      });
      this.#runners.set(key, runner as unknown as WorkflowRunner<object>);
    }
    return runner;
  }

  /** Whether a worker serves the workflow (asked at most once a second, for all waits). */
  #served(workflow: string, signal: AbortSignal): Promise<boolean> {
    const cached = this.#servedCache.get(workflow);
    if (cached && Date.now() - cached.at < 1000) return cached.served;
    const queue = this.#steps.queue(workflow);
    const served = this.#steps.conn
      .run('queue.workers', () => queue.getWorkersCount(), signal)
      .then((n) => n > 0);
    this.#servedCache.set(workflow, { at: Date.now(), served });
    served.catch(() => this.#servedCache.delete(workflow));
    return served;
  }
}
