import { randomUUID } from 'node:crypto';
import { AbortError, TimeoutError } from '../errors/abort-error.js';
import { ArshaiError } from '../errors/arshai-error.js';
import { InvalidInputError } from '../errors/invalid-input-error.js';
import { abortErrorFrom, neverAborts, throwIfAborted } from '../utils/abort.js';
import { assertId } from '../utils/ids.js';
import { pushStream } from '../utils/push-stream.js';
import type { Checkpoint, Checkpointer, RunStatus } from './checkpointer.js';
import type { CompiledWorkflow } from './compiled-workflow.js';
import { executeNode, type NodeOutcome } from './node-execution.js';
import { checkInput, timeLimit } from './run-input.js';
import { mergeStep } from './step-merge.js';
import {
  CheckpointError,
  RunConflictError,
  RunNotFoundError,
  StepLimitExceededError,
  WorkflowRunError,
} from './workflow-errors.js';
import type { WorkflowEvent, WorkflowResult } from './workflow-events.js';
import {
  DEFAULT_REDUCERS,
  initialState,
  type Reducer,
  type WorkflowState,
} from './workflow-state.js';

/** Options of {@link WorkflowRunner}. */
export interface WorkflowRunnerOptions {
  /** Persists a checkpoint after every step; needed for `resume`. */
  checkpointer?: Checkpointer;
  /**
   * Most node executions per run; past it the run fails with `StepLimitExceededError`.
   * @default 100
   */
  maxSteps?: number;
  /** Clock, for tests. @default () => new Date() */
  now?: () => Date;
}

/** What `executeWorkflow` takes. */
export interface ExecuteWorkflowInput<S extends object> {
  userId: string;
  /** The run's input: every node receives it (and it is kept as `state.input`). */
  inputData?: unknown;
  /** @default a random UUID */
  runId?: string;
  signal?: AbortSignal;
  /**
   * Time limit of this call: past it the run stops with a `TimeoutError` and stays resumable
   * from its last checkpoint.
   */
  timeoutMs?: number;
  /** Initial values of your own state fields. */
  state?: Partial<S>;
  /** @default 1 */
  interactionCount?: number;
}

/** What `resume` takes. */
export interface ResumeOptions {
  /**
   * The answer to the pending interrupt: required when the run is `interrupted`, refused with
   * `RunConflictError` when it is not (another runner answered or continued it first).
   */
  value?: unknown;
  signal?: AbortSignal;
  /** Time limit of this call, as in `executeWorkflow`. */
  timeoutMs?: number;
}

type Emit<S extends object> = ((event: WorkflowEvent<S>) => void) | undefined;

interface Position<S extends object> {
  runId: string;
  step: number;
  /** The version the next checkpoint gets. */
  version: number;
  state: WorkflowState<S>;
  next: string[];
  answers?: { node: string; values: unknown[] } | undefined;
  /** The run's signal: checkpoint writes honour it too. */
  signal: AbortSignal | undefined;
}

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
export class WorkflowRunner<S extends object = object> {
  readonly workflow: CompiledWorkflow<S>;
  readonly checkpointer: Checkpointer | undefined;
  readonly #maxSteps: number;
  readonly #now: () => Date;
  readonly #reducers: Record<string, Reducer>;

  constructor(workflow: CompiledWorkflow<S>, options: WorkflowRunnerOptions = {}) {
    const maxSteps = options.maxSteps ?? 100;
    if (!Number.isInteger(maxSteps) || maxSteps < 1) {
      throw new InvalidInputError('maxSteps', 'must be a positive integer');
    }
    this.workflow = workflow;
    this.checkpointer = options.checkpointer;
    this.#maxSteps = maxSteps;
    this.#now = options.now ?? (() => new Date());
    this.#reducers = { ...DEFAULT_REDUCERS, ...workflow.reducers };
  }

  /** Runs the workflow from its entry point. */
  async executeWorkflow(input: ExecuteWorkflowInput<S>): Promise<WorkflowResult<S>> {
    return this.#start(input, undefined);
  }

  /** Runs the workflow, yielding step events; the last is `done` with the result. */
  streamWorkflow(input: ExecuteWorkflowInput<S>): AsyncGenerator<WorkflowEvent<S>> {
    return this.#stream((emit, signal) => this.#start({ ...input, signal }, emit), input?.signal);
  }

  /**
   * Continues a run from its last checkpoint: after a crash, or with `value` as the answer to
   * a pending interrupt. It first claims the run (a checkpoint of its own): if another runner
   * continued it meanwhile, it rejects with `RunConflictError` before running anything.
   */
  async resume(runId: string, options: ResumeOptions = {}): Promise<WorkflowResult<S>> {
    return this.#resume(runId, options, undefined);
  }

  /** `resume`, as a stream of step events. */
  streamResume(runId: string, options: ResumeOptions = {}): AsyncGenerator<WorkflowEvent<S>> {
    return this.#stream(
      (emit, signal) => this.#resume(runId, { ...options, signal }, emit),
      options.signal,
    );
  }

  #stream(
    run: (emit: (e: WorkflowEvent<S>) => void, signal: AbortSignal) => Promise<WorkflowResult<S>>,
    signal?: AbortSignal,
  ) {
    return pushStream<WorkflowEvent<S>, WorkflowResult<S>>(
      run,
      (result) => ({ type: 'done', result }),
      (error) => {
        if (AbortError.isInstance(error)) {
          return { event: { type: 'aborted', error }, thenThrow: error };
        }
        const typed = ArshaiError.isInstance(error)
          ? error
          : new ArshaiError(`The workflow runner failed: ${String(error)}`, { cause: error });
        return { event: { type: 'failed', error: typed }, thenThrow: typed };
      },
      {
        ...(signal ? { signal } : {}),
        stopReason: () => new AbortError('The stream consumer stopped reading'),
      },
    );
  }

  async #start(input: ExecuteWorkflowInput<S>, emit: Emit<S>): Promise<WorkflowResult<S>> {
    checkInput(input);
    const limit = timeLimit(input.signal, input.timeoutMs);
    try {
      const runId = input.runId ?? randomUUID();
      if (input.runId !== undefined && (await this.#latest(runId, limit.signal))) {
        throw new InvalidInputError('runId', `run "${runId}" already exists: use resume()`);
      }
      const state = initialState<S>(input, this.#now().toISOString());
      const position: Position<S> = {
        runId,
        step: 0,
        version: 0,
        state,
        next: [this.workflow.entry],
        signal: limit.signal,
      };
      await this.#checkpoint(position, 'running', []);
      emit?.({ type: 'run-start', runId, resumed: false });
      return await this.#stopsRecorded(position, () => this.#loop(position, emit, limit.signal));
    } finally {
      limit.dispose();
    }
  }

  /** Runs the loop; a run its caller stopped is recorded `cancelled` / `timed-out`. */
  async #stopsRecorded(
    position: Position<S>,
    loop: () => Promise<WorkflowResult<S>>,
  ): Promise<WorkflowResult<S>> {
    try {
      return await loop();
    } catch (error) {
      if (this.checkpointer && AbortError.isInstance(error)) {
        const status = TimeoutError.isInstance(error) ? 'timed-out' : 'cancelled';
        position.signal = undefined; // the record of the stop must not be stopped itself
        try {
          await this.#checkpoint(position, status, [], {
            error: { name: error.name, message: error.message },
          });
        } catch (recordError) {
          // Another runner took the run meanwhile: theirs. A failing store is the caller's to see.
          if (!RunConflictError.isInstance(recordError)) throw recordError;
        }
      }
      throw error;
    }
  }

  async #resume(runId: string, options: ResumeOptions, emit: Emit<S>): Promise<WorkflowResult<S>> {
    if (!this.checkpointer)
      throw new InvalidInputError('checkpointer', 'resume needs a checkpointer');
    assertId(runId, 'runId');
    const limit = timeLimit(options.signal, options.timeoutMs);
    try {
      const last = await this.#latest(runId, limit.signal);
      if (!last) throw new RunNotFoundError(runId);
      if (last.workflow !== this.workflow.name) {
        throw new InvalidInputError(
          'runId',
          `run "${runId}" belongs to workflow "${last.workflow}", not "${this.workflow.name}"`,
        );
      }
      const state = last.state as unknown as WorkflowState<S>;
      if ('value' in options && last.status !== 'interrupted') {
        // The question was answered already (or never asked): this answer must not count.
        throw new RunConflictError(runId, last.version + 1, `it is ${last.status}, not waiting`);
      }
      if (last.status === 'completed') return { runId, status: 'completed', state };
      if (last.status === 'failed') {
        const message = `Run "${runId}" had failed: ${last.error?.name}: ${last.error?.message}`;
        return {
          runId,
          status: 'failed',
          state,
          error: new WorkflowRunError(message, runId, state),
        };
      }
      let answers = last.answers;
      if (last.status === 'interrupted' && last.interrupt) {
        const { node } = last.interrupt;
        if (!('value' in options)) {
          throw new InvalidInputError('value', `run "${runId}" waits for an answer to "${node}"`);
        }
        const before = answers?.node === node ? answers.values : [];
        answers = { node, values: [...before, options.value] };
      }
      const position: Position<S> = {
        runId,
        step: last.step,
        version: last.version + 1,
        state,
        next: last.next,
        answers,
        signal: limit.signal,
      };
      throwIfAborted(limit.signal);
      await this.#checkpoint(position, 'running', []); // the claim
      emit?.({ type: 'run-start', runId, resumed: true });
      return await this.#stopsRecorded(position, () => this.#loop(position, emit, limit.signal));
    } finally {
      limit.dispose();
    }
  }

  async #loop(
    position: Position<S>,
    emit: Emit<S>,
    signal: AbortSignal | undefined,
  ): Promise<WorkflowResult<S>> {
    const { runId } = position;
    let idle: AbortSignal | undefined;
    const idleSignal = () => {
      idle ??= neverAborts();
      return idle;
    };
    while (position.next.length > 0) {
      throwIfAborted(signal);
      if (position.state.stepCount + position.next.length > this.#maxSteps) {
        const error = new StepLimitExceededError(this.#maxSteps, runId, position.state);
        return this.#fail(position, error, [], emit);
      }
      const before = position.state;
      const answers = position.answers;
      const outcomes = await Promise.all(
        position.next.map((node, i) =>
          executeNode(this.workflow, node, before, {
            runId,
            step: before.stepCount + i + 1,
            signal,
            idle: idleSignal,
            answers: answers?.node === node ? answers.values : undefined,
            emit,
          }),
        ),
      );
      throwIfAborted(signal);
      position.step++;
      const merged = mergeStep(
        this.workflow,
        this.#reducers,
        runId,
        before,
        outcomes,
        this.#now,
        this.checkpointer !== undefined,
      );
      position.state = merged.state;
      position.next = merged.next;
      if (merged.error) return this.#fail(position, merged.error, ran(outcomes), emit);
      emit?.({ type: 'state', runId, step: position.step, state: position.state });
      const asked = outcomes.filter((o) => o.interrupt !== undefined);
      // The node that was answered keeps its answers while it asks again.
      const asking = asked.find((o) => o.node === answers?.node) ?? asked[0];
      position.answers = asking && asking.node === answers?.node ? answers : undefined;
      if (asking) {
        const interrupt = { node: asking.node, payload: asking.interrupt?.payload };
        await this.#checkpoint(position, 'interrupted', ran(outcomes), { interrupt });
        emit?.({ type: 'interrupt', runId, ...interrupt });
        return { runId, status: 'interrupted', state: position.state, interrupt };
      }
      await this.#checkpoint(
        position,
        position.next.length ? 'running' : 'completed',
        ran(outcomes),
      );
    }
    return { runId, status: 'completed', state: position.state };
  }

  /** The run's newest checkpoint; a failing store is a `CheckpointError` (never an abort). */
  async #latest(runId: string, signal: AbortSignal | undefined): Promise<Checkpoint | undefined> {
    try {
      return await this.checkpointer?.getLatest(runId, signal ? { signal } : undefined);
    } catch (error) {
      if (signal?.aborted) throw abortErrorFrom(signal);
      throw new CheckpointError(runId, -1, error, 'read');
    }
  }

  async #fail(
    position: Position<S>,
    error: WorkflowRunError,
    ranNodes: string[],
    emit: Emit<S>,
  ): Promise<WorkflowResult<S>> {
    position.next = [];
    position.answers = undefined;
    await this.#checkpoint(position, 'failed', ranNodes, {
      error: {
        name: error.name,
        message: error.message,
        ...('node' in error ? { node: String(error.node) } : {}),
      },
    });
    emit?.({ type: 'error', runId: position.runId, error });
    return { runId: position.runId, status: 'failed', state: position.state, error };
  }

  async #checkpoint(
    position: Position<S>,
    status: RunStatus,
    ranNodes: string[],
    extra: Pick<Checkpoint, 'interrupt' | 'error'> = {},
  ): Promise<void> {
    if (!this.checkpointer) return;
    const checkpoint: Checkpoint = {
      runId: position.runId,
      workflow: this.workflow.name,
      step: position.step,
      version: position.version,
      status,
      state: position.state as unknown as Checkpoint['state'],
      next: position.next,
      ran: ranNodes,
      ...(position.answers ? { answers: position.answers } : {}),
      ...extra,
      createdAt: this.#now().toISOString(),
    };
    const { signal } = position;
    try {
      await this.checkpointer.put(checkpoint, signal ? { signal } : undefined);
    } catch (error) {
      if (signal?.aborted) throw abortErrorFrom(signal);
      if (RunConflictError.isInstance(error)) throw error;
      throw new CheckpointError(position.runId, position.step, error);
    }
    position.version++;
  }
}

function ran<S extends object>(outcomes: NodeOutcome<S>[]): string[] {
  return outcomes.filter((o) => o.interrupt === undefined).map((o) => o.node);
}
