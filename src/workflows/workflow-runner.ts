import { randomUUID } from 'node:crypto';
import { AbortError } from '../errors/abort-error.js';
import { ArshaiError } from '../errors/arshai-error.js';
import { InvalidInputError } from '../errors/invalid-input-error.js';
import { throwIfAborted } from '../utils/abort.js';
import { pushStream } from '../utils/push-stream.js';
import type { Checkpoint, Checkpointer, RunStatus } from './checkpointer.js';
import type { CompiledWorkflow } from './compiled-workflow.js';
import { executeNode, type NodeOutcome, type Resume } from './node-execution.js';
import {
  NodeExecutionError,
  RunNotFoundError,
  StateConflictError,
  StepLimitExceededError,
  type WorkflowRunError,
} from './workflow-errors.js';
import type { WorkflowEvent, WorkflowResult } from './workflow-events.js';
import { DEFAULT_REDUCERS, END, type Reducer, type WorkflowState } from './workflow-state.js';

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
  /** Initial values of your own state fields. */
  state?: Partial<S>;
  /** @default 1 */
  interactionCount?: number;
}

type Emit<S extends object> = ((event: WorkflowEvent<S>) => void) | undefined;

interface Position<S extends object> {
  runId: string;
  step: number;
  state: WorkflowState<S>;
  next: string[];
  resume?: Resume;
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
    this.workflow = workflow;
    this.checkpointer = options.checkpointer;
    this.#maxSteps = options.maxSteps ?? 100;
    this.#now = options.now ?? (() => new Date());
    this.#reducers = { ...DEFAULT_REDUCERS, ...workflow.reducers };
  }

  /** Runs the workflow from its entry point. */
  async executeWorkflow(input: ExecuteWorkflowInput<S>): Promise<WorkflowResult<S>> {
    return this.#start(input, undefined);
  }

  /** Runs the workflow, yielding step events; the last is `done` with the result. */
  streamWorkflow(input: ExecuteWorkflowInput<S>): AsyncGenerator<WorkflowEvent<S>> {
    return this.#stream((emit, signal) => this.#start({ ...input, signal }, emit), input.signal);
  }

  /** Continues a run from its last checkpoint; `value` answers a pending interrupt. */
  async resume(
    runId: string,
    options: { value?: unknown; signal?: AbortSignal } = {},
  ): Promise<WorkflowResult<S>> {
    return this.#resume(runId, options, undefined);
  }

  /** `resume`, as a stream of step events. */
  streamResume(
    runId: string,
    options: { value?: unknown; signal?: AbortSignal } = {},
  ): AsyncGenerator<WorkflowEvent<S>> {
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
        const typed = ArshaiError.isInstance(error)
          ? error
          : new AbortError(String(error), { cause: error });
        return { event: { type: 'aborted', error: typed }, thenThrow: typed };
      },
      {
        ...(signal ? { signal } : {}),
        stopReason: () => new AbortError('The stream consumer stopped reading'),
      },
    );
  }

  async #start(input: ExecuteWorkflowInput<S>, emit: Emit<S>): Promise<WorkflowResult<S>> {
    if (typeof input?.userId !== 'string' || input.userId === '') {
      throw new InvalidInputError('userId', 'a user id string is required');
    }
    const runId = input.runId ?? randomUUID();
    if (input.runId !== undefined && (await this.checkpointer?.getLatest(runId))) {
      throw new InvalidInputError('runId', `run "${runId}" already exists: use resume()`);
    }
    const state = {
      ...input.state,
      userContext: {
        userId: input.userId,
        lastActive: this.#now().toISOString(),
        interactionCount: input.interactionCount ?? 1,
      },
      currentStep: '',
      stepCount: 0,
      processingPath: [],
      agentData: {},
      workingMemories: {},
      errors: [],
      input: input.inputData,
    } as unknown as WorkflowState<S>;
    const position: Position<S> = { runId, step: 0, state, next: [this.workflow.entry] };
    await this.#checkpoint(position, 'running', []);
    emit?.({ type: 'run-start', runId, resumed: false });
    return this.#loop(position, emit, input.signal);
  }

  async #resume(
    runId: string,
    options: { value?: unknown; signal?: AbortSignal },
    emit: Emit<S>,
  ): Promise<WorkflowResult<S>> {
    if (!this.checkpointer)
      throw new InvalidInputError('checkpointer', 'resume needs a checkpointer');
    const last = await this.checkpointer.getLatest(runId);
    if (!last) throw new RunNotFoundError(runId);
    const state = last.state as unknown as WorkflowState<S>;
    if (last.status === 'completed' || last.status === 'failed') {
      return { runId, status: last.status, state };
    }
    const position: Position<S> = { runId, step: last.step, state, next: last.next };
    if (last.status === 'interrupted' && last.interrupt) {
      position.resume = { node: last.interrupt.node, value: options.value };
    }
    emit?.({ type: 'run-start', runId, resumed: true });
    return this.#loop(position, emit, options.signal);
  }

  async #loop(
    position: Position<S>,
    emit: Emit<S>,
    signal: AbortSignal | undefined,
  ): Promise<WorkflowResult<S>> {
    const { runId } = position;
    while (position.next.length > 0) {
      throwIfAborted(signal);
      if (position.state.stepCount + position.next.length > this.#maxSteps) {
        return this.#fail(
          position,
          new StepLimitExceededError(this.#maxSteps, runId, position.state),
          [],
          emit,
        );
      }
      const before = position.state;
      const outcomes = await Promise.all(
        position.next.map((node, i) =>
          executeNode(this.workflow, node, before, {
            runId,
            step: before.stepCount + i + 1,
            signal,
            resume: position.resume,
            emit,
          }),
        ),
      );
      throwIfAborted(signal);
      position.resume = undefined;
      position.step++;
      const failed = this.#apply(position, outcomes);
      if (failed)
        return this.#fail(
          position,
          failed,
          outcomes.map((o) => o.node),
          emit,
        );
      emit?.({ type: 'state', runId, step: position.step, state: position.state });
      const interrupted = outcomes.find((o) => o.interrupt !== undefined);
      if (interrupted) {
        const interrupt = { node: interrupted.node, payload: interrupted.interrupt };
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

  /** Merges the step's updates and finds the next nodes; returns the error that ends the run, if any. */
  #apply(position: Position<S>, outcomes: NodeOutcome<S>[]): WorkflowRunError | undefined {
    const { runId } = position;
    if (outcomes.length > 1) {
      const writers = new Map<string, string[]>();
      for (const o of outcomes) {
        for (const key in o.update) {
          const list = writers.get(key);
          if (list) list.push(o.node);
          else writers.set(key, [o.node]);
        }
      }
      for (const [key, nodes] of writers) {
        if (nodes.length > 1 && !this.#reducers[key]) {
          return new StateConflictError(key, nodes, runId, position.state);
        }
      }
    }
    const state = { ...position.state } as Record<string, unknown>;
    const done =
      outcomes.length === 1 && outcomes[0]?.interrupt === undefined
        ? outcomes
        : outcomes.filter((o) => o.interrupt === undefined);
    let errors: WorkflowState['errors'] | undefined;
    for (const o of done) {
      const update = o.update as Record<string, unknown> | undefined;
      for (const key in update) {
        const reducer = this.#reducers[key];
        const value = update[key];
        state[key] = reducer && state[key] !== undefined ? reducer(state[key], value) : value;
      }
      if (o.error) {
        errors ??= [];
        errors.push({
          node: o.node,
          step: o.step,
          name: o.error.name,
          message: o.error.message,
          retryable: isRetryable(o.error),
          at: this.#now().toISOString(),
        });
      }
    }
    const typed = state as unknown as WorkflowState<S>;
    if (errors) typed.errors = [...typed.errors, ...errors];
    typed.stepCount = position.state.stepCount + done.length;
    typed.processingPath = typed.processingPath.concat(done.map((o) => o.node));
    typed.currentStep = done.at(-1)?.node ?? typed.currentStep;
    position.state = typed;

    const next: string[] = outcomes.filter((o) => o.interrupt !== undefined).map((o) => o.node);
    for (const o of done) {
      if (o.error) {
        const route = this.workflow.nodes.get(o.node)?.options.onError;
        if (!route) return new NodeExecutionError(o.node, runId, typed, o.error);
        next.push(route);
        continue;
      }
      let targets: string[];
      try {
        targets = this.workflow.next(o.node, typed);
      } catch (error) {
        return new NodeExecutionError(o.node, runId, typed, error);
      }
      for (const target of targets) {
        if (target !== END && !this.workflow.nodes.has(target)) {
          return new NodeExecutionError(
            o.node,
            runId,
            typed,
            new Error(`routed to unknown node "${target}"`),
          );
        }
        next.push(target);
      }
    }
    position.next =
      next.length === 1
        ? next[0] === END
          ? []
          : next
        : [...new Set(next.filter((n) => n !== END))];
    return undefined;
  }

  async #fail(
    position: Position<S>,
    error: WorkflowRunError,
    ranNodes: string[],
    emit: Emit<S>,
  ): Promise<WorkflowResult<S>> {
    position.next = [];
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
    // lastActive moves with every persisted step, and when the run stops.
    if (!this.checkpointer && status === 'running') return;
    position.state.userContext = {
      ...position.state.userContext,
      lastActive: this.#now().toISOString(),
    };
    if (!this.checkpointer) return;
    await this.checkpointer.put({
      runId: position.runId,
      workflow: this.workflow.name,
      step: position.step,
      status,
      state: position.state as unknown as Checkpoint['state'],
      next: position.next,
      ran: ranNodes,
      ...extra,
      createdAt: this.#now().toISOString(),
    });
  }
}

function ran<S extends object>(outcomes: NodeOutcome<S>[]): string[] {
  return outcomes.filter((o) => o.interrupt === undefined).map((o) => o.node);
}

function isRetryable(error: Error): boolean {
  return ArshaiError.isInstance(error) && error.retryable;
}
