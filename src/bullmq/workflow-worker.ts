import type { Redis } from 'ioredis';
import { AbortError } from '../errors/abort-error.js';
import { InvalidInputError } from '../errors/invalid-input-error.js';
import { BudgetExceededError } from '../llm/budget.js';
import type { TelemetryOptions } from '../telemetry/telemetry-types.js';
import { type Logger, silentLogger } from '../utils/logger.js';
import { checkCount, checkTimeoutMs } from '../utils/option-checks.js';
import type { Checkpointer } from '../workflows/checkpointer.js';
import type { CompiledWorkflow } from '../workflows/compiled-workflow.js';
import { positionOfRun, storedRun } from '../workflows/run-claim.js';
import type { RunPosition } from '../workflows/runner-options.js';
import {
  IncompatibleRunError,
  RunConflictError,
  RunNotFoundError,
} from '../workflows/workflow-errors.js';
import { WorkflowRunner } from '../workflows/workflow-runner.js';
import { type Job, Worker } from './bullmq-sdk.js';
import { RunEvents } from './run-events.js';
import {
  type QueueSideOptions,
  queueNames,
  redisClient,
  type StepJobData,
  workflowQueueName,
} from './step-jobs.js';
import { StepQueues } from './step-queues.js';

/**
 * The workflows a worker runs, by name (each key is its workflow's `name`); `M` maps each
 * name to the workflow's own state fields.
 */
export type WorkflowMap<M extends Record<string, object>> = {
  [K in keyof M]: CompiledWorkflow<M[K]>;
};

/** Options of {@link WorkflowWorker}. */
export interface WorkflowWorkerOptions<M extends Record<string, object> = Record<string, object>>
  extends QueueSideOptions {
  /** Where runs are stored: the same store as the producers'. */
  checkpointer: Checkpointer;
  /** The workflows this worker runs; runs of other workflows are left to workers that know them. */
  workflows: WorkflowMap<M>;
  /** Steps run at once, per workflow. @default 10 */
  concurrency?: number;
  /**
   * The lease of a step: renewed while the step runs; when its worker dies, the step runs
   * again on another worker once the lease has expired (and a stall check has seen it).
   * @default 10000
   */
  leaseMs?: number;
  /**
   * Times one step may lose its worker before its job is given up (the run then stays
   * `running`, and `queue.resume` or `queue.recover` continues it).
   * @default 10
   */
  maxStalls?: number;
  /** Time limit of each Redis call of the worker itself. @default 5000 */
  timeoutMs?: number | undefined;
  /** OpenTelemetry for the steps it runs (they join each run's trace). @default none */
  telemetry?: TelemetryOptions;
}

/** Why an in-flight step was aborted. */
class HandedBack extends AbortError {}

/**
 * Runs the steps of distributed workflows: one BullMQ job per step, in any number of
 * processes on any number of machines. It starts taking steps as soon as it is constructed
 * (that is its whole job); `close()` stops it. A step's checkpoint is a compare-and-set on the run's
 * version, so a worker that lost its lease cannot overwrite a newer checkpoint: it drops its
 * result.
 *
 * @example
 * ```ts no-run
 * const worker = new WorkflowWorker({
 *   connection: 'redis://127.0.0.1:6379',
 *   checkpointer,
 *   workflows: { support: workflow },
 * });
 * process.on('SIGTERM', () => worker.close());
 * ```
 */
export class WorkflowWorker<M extends Record<string, object> = Record<string, object>> {
  readonly checkpointer: Checkpointer;
  readonly #logger: Logger;
  readonly #steps: StepQueues;
  readonly #client: Redis;
  readonly #events: RunEvents;
  readonly #workers: Worker<StepJobData, string>[] = [];
  /** In-flight steps by run: their controllers, aborted by a cancel or a forced close. */
  readonly #inFlight = new Map<string, Set<AbortController>>();
  #closing: Promise<void> | undefined;

  constructor(options: WorkflowWorkerOptions<M>) {
    const { name, prefix } = queueNames(options);
    const concurrency = options.concurrency ?? 10;
    checkCount(concurrency, 'concurrency', 1);
    checkTimeoutMs(options.leaseMs, 'leaseMs');
    checkCount(options.maxStalls, 'maxStalls', 0);
    checkTimeoutMs(options.timeoutMs, 'timeoutMs');
    const entries = Object.entries(options.workflows ?? {}) as Array<
      [string, CompiledWorkflow<object>]
    >;
    if (entries.length === 0)
      throw new InvalidInputError('workflows', 'name at least one workflow to run');
    for (const [key, workflow] of entries) {
      if (workflow?.name !== key)
        throw new InvalidInputError(
          `workflows.${key}`,
          `is named "${workflow?.name}": key each workflow by its name (compile({ name }))`,
        );
    }
    this.checkpointer = options.checkpointer;
    this.#logger = options.logger ?? silentLogger;
    this.#steps = new StepQueues(
      options.connection,
      { name, prefix },
      this.#logger,
      options.timeoutMs ?? 5000,
    );
    this.#client = redisClient(options.connection, 'worker', this.#logger);
    this.#events = new RunEvents(options.connection, prefix, name, this.#logger, this.#steps.conn);
    this.#events.onCancel((runId) => {
      for (const c of this.#inFlight.get(runId) ?? [])
        c.abort(new AbortError('The run was cancelled'));
    });
    this.#events.ready(undefined).catch((error: unknown) =>
      this.#logger.warn('arshai: could not subscribe to cancels', {
        error: (error as Error)?.name,
      }),
    );
    const leaseMs = options.leaseMs ?? 10_000;
    for (const [, workflow] of entries) {
      const runner = new WorkflowRunner(workflow, {
        checkpointer: this.checkpointer,
        ...(options.telemetry ? { telemetry: options.telemetry } : {}),
      });
      const worker = new Worker<StepJobData, string>(
        workflowQueueName(name, workflow.name),
        (job, _token, signal) => this.#process(runner, job, signal),
        {
          connection: this.#client,
          prefix,
          concurrency,
          lockDuration: leaseMs,
          stalledInterval: Math.max(500, Math.floor(leaseMs / 2)),
          maxStalledCount: options.maxStalls ?? 10,
        },
      );
      worker.on('error', (error: Error) =>
        this.#logger.warn('arshai: bullmq worker error', { error: error?.name }),
      );
      worker.on('failed', (job, error) =>
        this.#logger.error('arshai: a step job failed', {
          runId: job?.data.runId,
          step: job?.data.step,
          attempts: job?.attemptsMade,
          error: error?.name,
        }),
      );
      this.#workers.push(worker);
    }
  }

  /**
   * Stops taking steps, lets the in-flight ones finish (or, once `signal` aborts, aborts them:
   * their jobs go back to the queue for another worker), then closes its connections (not
   * the checkpointer, which is yours).
   */
  close(options: { signal?: AbortSignal } = {}): Promise<void> {
    this.#closing ??= (async () => {
      const handBack = () => {
        for (const set of this.#inFlight.values())
          for (const c of set) c.abort(new HandedBack('The worker is closing'));
      };
      if (options.signal?.aborted) handBack();
      options.signal?.addEventListener('abort', handBack, { once: true });
      try {
        await Promise.allSettled(this.#workers.map((w) => w.close()));
      } finally {
        options.signal?.removeEventListener('abort', handBack);
      }
      await this.#events.close();
      await this.#steps.close();
      this.#client.disconnect();
    })();
    return this.#closing;
  }

  async #process(
    runner: WorkflowRunner<object>,
    job: Job<StepJobData, string>,
    jobSignal: AbortSignal | undefined,
  ): Promise<string> {
    const { runId, step, resumes } = job.data;
    const controller = new AbortController();
    const stop = () => controller.abort(jobSignal?.reason);
    jobSignal?.addEventListener('abort', stop, { once: true });
    const set = this.#inFlight.get(runId) ?? new Set<AbortController>();
    set.add(controller);
    this.#inFlight.set(runId, set);
    try {
      const ran = await runner.runStep(runId, {
        step,
        resumes,
        taken: Math.max(1, job.attemptsStarted ?? 1),
        signal: controller.signal,
      });
      await this.#after(runner.workflow.name, ran);
      this.#logger.debug('arshai: step done', {
        runId,
        step,
        outcome: ran.outcome,
        status: ran.status,
      });
      return ran.outcome;
    } catch (error) {
      if (RunConflictError.isInstance(error)) {
        // Another worker (or a cancel, or a resume) stored this step first: theirs stands.
        this.#logger.info('arshai: step dropped, the run moved on without it', { runId, step });
        await this.#after(runner.workflow.name, await this.#standing(runId));
        return 'dropped';
      }
      if (BudgetExceededError.isInstance(error)) {
        // The run's budget ran out: it is recorded over-budget, to resume with a larger one.
        await this.#events.publish({ type: 'stopped', runId }, undefined);
        return 'over-budget';
      }
      if (RunNotFoundError.isInstance(error)) {
        this.#logger.warn('arshai: step of a deleted run skipped', { runId, step });
        return 'missing';
      }
      if (IncompatibleRunError.isInstance(error)) {
        // A run of another release (it waits at a node this graph lacks): its checkpoints stay
        // untouched; BullMQ retries the job, which a worker of that release can take.
        this.#logger.warn("arshai: step refused, this worker's graph cannot continue the run", {
          runId,
          step,
          missing: error.missing,
        });
      }
      if (controller.signal.aborted && !(controller.signal.reason instanceof HandedBack)) {
        return 'cancelled'; // the cancel is recorded already
      }
      throw error; // BullMQ retries the job (a store that was down, a worker closing)
    } finally {
      jobSignal?.removeEventListener('abort', stop);
      set.delete(controller);
      if (set.size === 0 && this.#inFlight.get(runId) === set) this.#inFlight.delete(runId);
    }
  }

  /** Where the run stands now (after another worker stored the step this one ran). */
  async #standing(runId: string): Promise<RunPosition<object>> {
    return positionOfRun(await storedRun(this.checkpointer, runId, undefined));
  }

  /** Enqueues the run's next step while it runs; announces it when it has stopped. */
  async #after(workflow: string, run: RunPosition<object>): Promise<void> {
    if (run.status === 'running') await this.#steps.enqueue(workflow, run, undefined);
    else await this.#events.publish({ type: 'stopped', runId: run.runId }, undefined);
  }
}
