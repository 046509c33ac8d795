import { InvalidInputError } from '../errors/invalid-input-error.js';
import { checkScopedBudget } from '../llm/budget.js';
import { endSpan, inSpan, resolveTelemetry } from '../telemetry/spans.js';
import type { TelemetryOptions } from '../telemetry/telemetry-types.js';
import { throwIfAborted } from '../utils/abort.js';
import { assertId, assertRunId } from '../utils/ids.js';
import { randomUUID } from '../utils/uuid.js';
import { latestCheckpoint, putCheckpoint, retain } from './checkpoint-io.js';
import type { Checkpoint, Checkpointer } from './checkpointer.js';
import type { CompiledWorkflow } from './compiled-workflow.js';
import { recoverRuns } from './recover-runs.js';
import { claimOf, isCheckpoint, positionOfRun, storedRun } from './run-claim.js';
import { assertContinuable } from './run-compat.js';
import { storeFork } from './run-fork.js';
import { runSpan, traced, withNodeHooks } from './run-hooks.js';
import { checkInput, checkRunStep, timeLimit } from './run-input.js';
import { assertOwnRun, firstPosition, type Position, positionOf } from './run-position.js';
import type {
  ExecuteWorkflowInput,
  ForkOptions,
  RecoverOptions,
  RecoverReport,
  ResumeOptions,
  RunPosition,
  RunStepOptions,
  StepRun,
  WorkflowRunnerOptions,
} from './runner-options.js';
import { type Emit, StepEngine } from './step-engine.js';
import { checkModes, inModes, type StreamMode, workflowStream } from './stream-modes.js';
import { type ChildRuns, runSubworkflow } from './subworkflow-run.js';
import { RunConflictError, RunNotFoundError } from './workflow-errors.js';
import type { WorkflowEvent, WorkflowResult } from './workflow-events.js';
import { DEFAULT_REDUCERS } from './workflow-state.js';

/**
 * Runs a compiled workflow: steps of concurrent nodes, state merged through reducers, a
 * checkpoint after every step, interrupts for humans, resume after a crash.
 *
 * @example
 * ```ts
 * const runner = new WorkflowRunner(workflow, { checkpointer: new SqliteCheckpointer() });
 * const { status, state } = await runner.executeWorkflow({ userId: 'u1', inputData: 'Hello' });
 * ```
 */
export class WorkflowRunner<S extends object = object, I extends object = S> {
  readonly workflow: CompiledWorkflow<S, I>;
  readonly checkpointer: Checkpointer | undefined;
  readonly #now: () => Date;
  readonly #engine: StepEngine<S>;
  readonly #telemetry: TelemetryOptions | undefined;
  readonly #options: WorkflowRunnerOptions;
  /** The node hooks as an event sink; undefined without hooks (no events are made). */
  readonly #hooks: Emit<S>;
  /** The child runners of subworkflow nodes, by child workflow. */
  readonly #children = new Map<CompiledWorkflow<object>, ChildRuns>();

  constructor(workflow: CompiledWorkflow<S, I>, options: WorkflowRunnerOptions = {}) {
    const maxSteps = options.maxSteps ?? 100;
    if (!Number.isInteger(maxSteps) || maxSteps < 1) {
      throw new InvalidInputError('maxSteps', 'must be a positive integer');
    }
    this.workflow = workflow;
    this.checkpointer = options.checkpointer;
    this.#now = options.now ?? (() => new Date());
    this.#options = options;
    this.#hooks = withNodeHooks(undefined, options);
    const reducers = { ...DEFAULT_REDUCERS, ...workflow.reducers };
    this.#telemetry = resolveTelemetry(options.telemetry);
    this.#engine = new StepEngine(
      workflow,
      this.checkpointer,
      reducers,
      maxSteps,
      this.#now,
      options.pricing,
      this.#telemetry,
      (call) => runSubworkflow(this.#childRuns(call.spec.workflow), call),
    );
  }

  /** Runs the workflow from its entry point. */
  async executeWorkflow(input: ExecuteWorkflowInput<S, I>): Promise<WorkflowResult<S>> {
    return this.#start(input, this.#hooks);
  }

  /** Runs the workflow, yielding step events; the last is `done` with the result. */
  streamWorkflow(input: ExecuteWorkflowInput<S, I>): AsyncGenerator<WorkflowEvent<S>> {
    return workflowStream(
      (emit, signal) => this.#start({ ...input, signal }, withNodeHooks(emit, this.#options)),
      input?.signal,
    );
  }

  /**
   * Runs the workflow as a stream of the events in `mode` (default: every event), for user
   * interfaces: whole states, per-node updates, node events, and the models' tokens and
   * tool events from inside nodes (`ctx.pipe` / `ctx.forward`), tagged with node and step.
   * Stopping reading (`break`) aborts the run's work and records it `cancelled`.
   *
   * @example
   * ```ts
   * for await (const e of runner.stream({ userId: 'u1' }, { mode: ['messages', 'updates'] })) {
   *   if (e.type === 'message' && e.event.type === 'text-delta') process.stdout.write(e.event.text);
   * }
   * ```
   */
  stream(
    input: ExecuteWorkflowInput<S, I>,
    options: { mode?: StreamMode | readonly StreamMode[] } = {},
  ): AsyncGenerator<WorkflowEvent<S>> {
    const modes = checkModes(options?.mode);
    const events = this.streamWorkflow(input);
    return modes ? inModes(events, modes) : events;
  }

  /**
   * Continues a run from its last checkpoint: after a crash, or with `value` as the answer to
   * a pending interrupt. It first claims the run (a checkpoint of its own): if another runner
   * continued it meanwhile, it rejects with `RunConflictError` before running anything.
   */
  async resume(runId: string, options: ResumeOptions = {}): Promise<WorkflowResult<S>> {
    return this.#resume(runId, options, this.#hooks);
  }

  /**
   * Every checkpoint of a run, oldest first: one per step, plus the claims of resumes (time
   * travel: pick a `step` to `fork` from).
   *
   * @example
   * ```ts
   * const steps = (await runner.history(runId)).map((c) => [c.step, c.status, c.ran]);
   * ```
   */
  async history(runId: string, options: { signal?: AbortSignal } = {}): Promise<Checkpoint[]> {
    if (!this.checkpointer)
      throw new InvalidInputError('checkpointer', 'history needs a checkpointer');
    const last = await this.#own(runId, options.signal);
    const signal = options.signal;
    return this.checkpointer.history(last.runId, signal ? { signal } : undefined);
  }

  /**
   * Starts a new run from step `step` of an old one — its state after that step, optionally
   * edited — and runs it like `executeWorkflow` (a human fixes a bad intermediate result and
   * replays from there). The old run is untouched; the new run's first checkpoint names it
   * in `forkedFrom`.
   *
   * @example
   * ```ts
   * const fixed = await runner.fork(runId, { step: 2, state: { draft: 'the corrected draft' } });
   * ```
   */
  async fork(runId: string, options: ForkOptions<S>): Promise<WorkflowResult<S>> {
    if (!this.checkpointer)
      throw new InvalidInputError('checkpointer', 'fork needs a checkpointer');
    if (options?.runId !== undefined) assertId(options.runId, 'runId');
    const limit = timeLimit(options?.signal, options?.timeoutMs);
    try {
      const history = await this.history(runId, limit.signal ? { signal: limit.signal } : {});
      const { schema } = this.workflow;
      const forked = await storeFork(
        this.checkpointer,
        history,
        options,
        schema,
        this.#now,
        limit.signal,
      );
      const position = positionOf<S>(forked, limit.signal, false);
      const span = runSpan(this.#telemetry, this.workflow.name, position, false);
      return await traced(span, () =>
        this.#engine.stopsRecorded(position, () => this.#loop(position, this.#hooks, limit.signal)),
      );
    } finally {
      limit.dispose();
    }
  }

  /**
   * Continues the runs a dead process left `running` (on one machine, without a queue):
   * each is claimed first, so two recovering processes never both run one. `arshai resume
   * --all-stalled` calls it.
   *
   * @example
   * ```ts
   * const { recovered, skipped } = await runner.recover({ olderThanMs: 60_000 });
   * ```
   */
  recover(options: RecoverOptions): Promise<RecoverReport<S>> {
    return recoverRuns(this, options, this.#now);
  }

  /**
   * Runs one step of a run from its newest checkpoint, for queue workers (`arshai/bullmq`
   * runs one job per step with it). The checkpoint it writes is a compare-and-set on the run's
   * version: a worker that lost its lease and comes back late gets `RunConflictError`, and
   * its result is dropped. An abort rejects with `AbortError` and records nothing.
   *
   * @example
   * ```ts
   * const done = await runner.runStep(runId, { step: 0 });
   * // done.outcome === 'ran'; done.status === 'running' while steps remain
   * ```
   */
  async runStep(runId: string, options: RunStepOptions): Promise<StepRun<S>> {
    if (!this.checkpointer)
      throw new InvalidInputError('checkpointer', 'runStep needs a checkpointer');
    assertRunId(runId, 'runId');
    const { resumes, taken } = checkRunStep(options);
    const { signal } = options;
    const last = await this.#own(runId, signal);
    if (last.status !== 'running' || last.step !== options.step || (last.resumes ?? 0) !== resumes)
      return { outcome: 'stale', ...positionOfRun<S>(last) };
    assertContinuable(this.workflow, last);
    const position = positionOf<S>(this.workflow.schema?.stored(last) ?? last, signal, false);
    position.attemptBase += taken - 1;
    const result = await this.#engine.scoped(position, () =>
      this.#engine.step(position, this.#hooks, signal),
    );
    if (result) await retain(this.checkpointer, this.#options, runId, result.status, this.#now);
    return {
      outcome: 'ran',
      runId,
      workflow: this.workflow.name,
      status: result?.status ?? 'running',
      step: position.step,
      resumes: 0,
      ...(result ? { result } : {}),
    };
  }

  /**
   * Stores a new run's first checkpoint without running it, for queues: a worker then runs
   * it with `runStep(runId, { step: 0 })`.
   *
   * @example
   * ```ts
   * const { runId } = await runner.createRun({ userId: 'u1', inputData: 'Hello' });
   * ```
   */
  async createRun(input: Omit<ExecuteWorkflowInput<S, I>, 'timeoutMs'>): Promise<RunPosition<S>> {
    if (!this.checkpointer)
      throw new InvalidInputError('checkpointer', 'createRun needs a checkpointer');
    checkInput(input);
    const runId = input.runId ?? randomUUID();
    const position = firstPosition(this.workflow, runId, input, this.#now(), input.signal);
    // The run's trace starts here; the steps, wherever they run, join it.
    const span = runSpan(this.#telemetry, this.workflow.name, position, false);
    try {
      await inSpan(span, () => this.#engine.checkpoint(position, 'running', []));
    } catch (error) {
      endSpan(span, error);
      if (!RunConflictError.isInstance(error)) throw error;
      throw new InvalidInputError('runId', `run "${runId}" already exists: use resume()`);
    }
    endSpan(span);
    return { runId, workflow: this.workflow.name, status: 'running', step: 0, resumes: 0 };
  }

  /** The run's newest checkpoint, which must exist and be of this workflow. */
  async #own(runId: string, signal: AbortSignal | undefined): Promise<Checkpoint> {
    if (!this.checkpointer) throw new InvalidInputError('checkpointer', 'a checkpointer is needed');
    const last = await storedRun(this.checkpointer, runId, signal);
    assertOwnRun(this.workflow, last);
    return last;
  }

  /** `resume`, as a stream of step events. */
  streamResume(runId: string, options: ResumeOptions = {}): AsyncGenerator<WorkflowEvent<S>> {
    return workflowStream(
      (emit, signal) =>
        this.#resume(runId, { ...options, signal }, withNodeHooks(emit, this.#options)),
      options.signal,
    );
  }

  async #start(input: ExecuteWorkflowInput<S, I>, emit: Emit<S>): Promise<WorkflowResult<S>> {
    checkInput(input);
    const limit = timeLimit(input.signal, input.timeoutMs);
    try {
      const runId = input.runId ?? randomUUID();
      if (input.runId !== undefined && (await this.#latest(runId, limit.signal))) {
        throw new InvalidInputError('runId', `run "${runId}" already exists: use resume()`);
      }
      return await this.#begin(runId, input, emit, limit.signal);
    } finally {
      limit.dispose();
    }
  }

  /** Starts run `runId` (checked by the caller) and runs it. */
  async #begin(
    runId: string,
    input: Omit<ExecuteWorkflowInput<S, I>, 'signal' | 'timeoutMs' | 'runId'>,
    emit: Emit<S>,
    signal: AbortSignal | undefined,
  ): Promise<WorkflowResult<S>> {
    const position = firstPosition(this.workflow, runId, input, this.#now(), signal);
    const span = runSpan(this.#telemetry, this.workflow.name, position, false);
    return traced(span, async () => {
      await this.#engine.checkpoint(position, 'running', []);
      emit?.({ type: 'run-start', runId, resumed: false });
      return this.#engine.stopsRecorded(position, () => this.#loop(position, emit, signal));
    });
  }

  async #resume(runId: string, options: ResumeOptions, emit: Emit<S>): Promise<WorkflowResult<S>> {
    if (!this.checkpointer)
      throw new InvalidInputError('checkpointer', 'resume needs a checkpointer');
    assertRunId(runId, 'runId');
    const limit = timeLimit(options.signal, options.timeoutMs);
    try {
      const last = await this.#latest(runId, limit.signal);
      if (!last) throw new RunNotFoundError(runId);
      assertOwnRun(this.workflow, last);
      assertContinuable(this.workflow, last);
      return await this.#continue(last, options, undefined, emit, limit.signal);
    } finally {
      limit.dispose();
    }
  }

  /** Claims the stored run `last` and runs it on (`delivered`: a child run's answers given). */
  async #continue(
    last: Checkpoint,
    options: Pick<ResumeOptions, 'value' | 'budget' | 'approvals'>,
    delivered: number | undefined,
    emit: Emit<S>,
    signal: AbortSignal | undefined,
  ): Promise<WorkflowResult<S>> {
    const checkpointer = this.checkpointer as Checkpointer;
    const stored = this.workflow.schema?.stored(last) ?? last;
    checkScopedBudget(options.budget);
    const claimed = claimOf(stored, options, this.#now);
    if (!isCheckpoint(claimed)) return claimed as WorkflowResult<S>;
    if (delivered !== undefined) claimed.delivered = delivered;
    claimed.graph = this.workflow.fingerprint;
    throwIfAborted(signal);
    await putCheckpoint(checkpointer, claimed, signal);
    const position = positionOf<S>(claimed, signal, false);
    const span = runSpan(this.#telemetry, this.workflow.name, position, true);
    return traced(span, () => {
      emit?.({ type: 'run-start', runId: last.runId, resumed: true });
      return this.#engine.stopsRecorded(position, () => this.#loop(position, emit, signal));
    });
  }

  /** The runner of a subworkflow node's child workflow (one per child, made on first use). */
  #childRuns(workflow: CompiledWorkflow<object>): ChildRuns {
    const found = this.#children.get(workflow);
    if (found) return found;
    // The parent's retention prunes its children with it.
    const runner = new WorkflowRunner<object>(workflow, { ...this.#options, retention: undefined });
    const runs: ChildRuns = {
      persistent: runner.checkpointer !== undefined,
      latest: async (runId, signal) => {
        const last = await runner.#latest(runId, signal);
        if (last) {
          assertOwnRun(runner.workflow, last); // a changed graph must not continue another's child
          assertContinuable(runner.workflow, last);
        }
        return last;
      },
      start: (runId, input, signal, emit) => runner.#begin(runId, input, emit, signal),
      resume: (last, options, delivered, signal, emit) =>
        runner.#continue(last, options, delivered, emit, signal),
      remove: async (runId, signal) => {
        await runner.checkpointer?.delete(runId, signal ? { signal } : undefined);
      },
    };
    this.#children.set(workflow, runs);
    return runs;
  }

  async #loop(
    position: Position<S>,
    emit: Emit<S>,
    signal: AbortSignal | undefined,
  ): Promise<WorkflowResult<S>> {
    const result = await this.#engine.run(position, emit, signal);
    await retain(this.checkpointer, this.#options, result.runId, result.status, this.#now);
    return result;
  }

  /** The run's newest checkpoint; a failing store is a `CheckpointError` (never an abort). */
  async #latest(runId: string, signal: AbortSignal | undefined): Promise<Checkpoint | undefined> {
    return this.checkpointer ? latestCheckpoint(this.checkpointer, runId, signal) : undefined;
  }
}
