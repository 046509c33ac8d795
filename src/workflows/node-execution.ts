import { InvalidInputError } from '../errors/invalid-input-error.js';
import {
  type ApprovalAnswer,
  type ApprovalGate,
  gatedChat,
  opensWith,
  Pause,
  underApprovalGate,
} from '../llm/approval-gate.js';
import type { BudgetMeter, Spent } from '../llm/budget.js';
import type { LLMClient } from '../llm/llm-client.js';
import type { LLMInput } from '../llm/llm-input.js';
import type { LLMResult } from '../llm/llm-result.js';
import type { LLMStreamEvent } from '../llm/stream-event.js';
import { abortErrorFrom, linkedController, raceAbort } from '../utils/abort.js';
import { isRetryableError, retry } from '../utils/retry.js';
import type { ChildSpec, CompiledWorkflow } from './compiled-workflow.js';
import type { ChildCall } from './subworkflow-run.js';
import { InvalidNodeUpdateError } from './workflow-errors.js';
import type { WorkflowEvent } from './workflow-events.js';
import type { NodeContext } from './workflow-node.js';
import { ENGINE_FIELDS, type StateUpdate, type WorkflowState } from './workflow-state.js';

/** What one node execution produced. */
export interface NodeOutcome<S extends object> {
  node: string;
  step: number;
  update?: StateUpdate<S>;
  error?: Error;
  /** Set when the node called `ctx.interrupt(payload)` past the answers it was given. */
  interrupt?: { payload: unknown };
}

/** How to run one node. */
export interface Execution<S extends object> {
  runId: string;
  step: number;
  /** The checkpoint step the node's step starts from (for `ctx.idempotencyKey`). */
  superStep: number;
  /** Executions of this node at this step known before this one (resumes, re-taken jobs). */
  attemptBase: number;
  signal: AbortSignal | undefined;
  /**
   * The run's never-aborting signal, made on first use, for nodes of a run without a signal:
   * one per run, so listeners that nodes add to it are freed with the run.
   */
  idle: () => AbortSignal;
  /** Answers to this node's interrupts, in the order it asks. */
  answers: readonly unknown[] | undefined;
  emit: ((event: WorkflowEvent<S>) => void) | undefined;
  /** What this node spends, for its node-end / node-error event. */
  meter?: BudgetMeter | undefined;
  /** Runs a subworkflow node's child (the runner's). */
  runChild?: ((call: ChildCall) => Promise<object>) | undefined;
}

/**
 * Runs one node with its timeout and retry policy. Failures and interrupts become outcomes;
 * only an abort of the run rejects.
 */
export async function executeNode<S extends object>(
  workflow: CompiledWorkflow<S, object>,
  name: string,
  state: Readonly<WorkflowState<S>>,
  x: Execution<S>,
): Promise<NodeOutcome<S>> {
  const node = workflow.nodes.get(name);
  if (!node) return { node: name, step: x.step, error: new Error(`unknown node "${name}"`) };
  const { timeoutMs, retry: retryOptions } = node.options;
  const emit = x.emit;
  emit?.({ type: 'node-start', runId: x.runId, node: name, step: x.step });
  const started = performance.now();
  // An interrupt stands even if the node catches what `ctx.interrupt` throws.
  let pending: Pause | undefined;
  let tries = 0;
  const attempt = async (): Promise<StateUpdate<S> | undefined> => {
    pending = undefined;
    tries++;
    let asked = 0;
    // Without a time limit the node shares the run's signal: no controller, no timer.
    const limit =
      timeoutMs === undefined ? undefined : linkedController(x.signal, timeoutMs, `Node "${name}"`);
    const signal = limit?.signal ?? x.signal;
    const interrupt = <T>(payload: unknown): T => {
      const answers = x.answers;
      if (answers && asked < answers.length) return answers[asked++] as T;
      pending ??= new Pause(payload);
      throw pending;
    };
    // Model calls in the node (agents, patterns, `ctx.chat`) wait for approvals here.
    const gate: ApprovalGate = {
      answerFor: (opening) => {
        const answers = x.answers;
        const first = answers?.[asked];
        if (!isApprovalAnswer(first) || !opensWith(first.state, opening)) return undefined;
        // Later answers to the same call follow it, each continuing the one before.
        let found = first;
        for (asked++; answers && asked < answers.length; asked++) {
          const next = answers[asked];
          if (!isApprovalAnswer(next) || !opensWith(next.state, found.state.messages)) break;
          found = next;
        }
        return found;
      },
      ask: ({ pendingApprovals, state }, opening) => {
        for (;;) {
          const answer = interrupt<unknown>({ type: 'tool-approval', pendingApprovals, state });
          if (!isApprovalAnswer(answer))
            throw new InvalidInputError('approvals', 'resume a tool approval with { approvals }');
          // An answer to a call this run of the node no longer makes is passed over.
          if (opensWith(answer.state, opening)) return answer;
        }
      },
    };
    const context = new Context(
      signal,
      x,
      name,
      x.attemptBase + tries,
      interrupt,
      (eventName, data) =>
        emit?.({ type: 'custom', runId: x.runId, node: name, name: eventName, data }),
      emit &&
        ((event) => emit({ type: 'message', runId: x.runId, node: name, step: x.step, event })),
      gate,
    );
    try {
      const running = node.child
        ? childOf(node.child, name, state, signal, x, (payload) => {
            pending ??= new Pause(payload);
            throw pending;
          })
        : underApprovalGate(gate, () => node.run(state, state.input, context));
      // A node that ignores its signal is still cut off when the run or its time limit aborts.
      const update = signal ? await raceAbort(Promise.resolve(running), signal) : await running;
      if (pending) throw pending;
      checkUpdate(name, update);
      return update;
    } finally {
      limit?.dispose();
    }
  };
  try {
    const update = retryOptions
      ? await retry(
          attempt,
          {
            ...retryOptions,
            shouldRetry: (e, n) =>
              !pending && (retryOptions.shouldRetry?.(e, n) ?? isRetryableError(e)),
          },
          x.signal,
        )
      : await attempt();
    emit?.({
      type: 'node-end',
      runId: x.runId,
      node: name,
      step: x.step,
      durationMs: performance.now() - started,
      update,
      ...spentBy(x.meter),
    });
    return { node: name, step: x.step, ...(update ? { update } : {}) };
  } catch (error) {
    if (x.signal?.aborted) throw abortErrorFrom(x.signal);
    if (pending) return { node: name, step: x.step, interrupt: { payload: pending.payload } };
    const err = error instanceof Error ? error : new Error(String(error));
    emit?.({
      type: 'node-error',
      runId: x.runId,
      node: name,
      step: x.step,
      durationMs: performance.now() - started,
      error: err,
      ...spentBy(x.meter),
    });
    return { node: name, step: x.step, error: err };
  }
}

/** A subworkflow node's execution: its child run, through the runner. */
function childOf<S extends object>(
  spec: ChildSpec,
  node: string,
  state: Readonly<WorkflowState<S>>,
  signal: AbortSignal | undefined,
  x: Execution<S>,
  ask: (payload: unknown) => never,
): Promise<StateUpdate<S>> {
  if (!x.runChild) throw new Error(`subworkflow node "${node}" needs a WorkflowRunner`);
  return x.runChild({
    spec,
    runId: x.runId,
    node,
    superStep: x.superStep,
    state: state as Readonly<WorkflowState<object>>,
    signal,
    answers: x.answers,
    ask,
    emit: x.emit as ChildCall['emit'],
  }) as Promise<StateUpdate<S>>;
}

/** What a node spent, when it spent anything. */
function spentBy(meter: BudgetMeter | undefined): { spent?: Spent } {
  return meter?.used ? { spent: { ...meter.spent } } : {};
}

/** A node's `ctx` (a class: its `signal` getter is on the prototype, which keeps steps cheap). */
class Context implements NodeContext {
  readonly runId: string;
  readonly node: string;
  readonly step: number;
  readonly attempt: number;
  readonly interrupt: NodeContext['interrupt'];
  readonly emit: NodeContext['emit'];
  readonly #signal: AbortSignal | undefined;
  readonly #idle: () => AbortSignal;
  readonly #superStep: number;
  readonly #forward: ((event: LLMStreamEvent<unknown>) => void) | undefined;
  readonly #gate: ApprovalGate;

  constructor(
    signal: AbortSignal | undefined,
    x: { runId: string; step: number; superStep: number; idle: () => AbortSignal },
    node: string,
    attempt: number,
    interrupt: NodeContext['interrupt'],
    emit: NodeContext['emit'],
    forward: ((event: LLMStreamEvent<unknown>) => void) | undefined,
    gate: ApprovalGate,
  ) {
    this.#forward = forward;
    this.#gate = gate;
    this.runId = x.runId;
    this.node = node;
    this.step = x.step;
    this.attempt = attempt;
    this.#superStep = x.superStep;
    this.interrupt = interrupt;
    this.emit = emit;
    this.#signal = signal;
    this.#idle = x.idle;
  }

  get signal(): AbortSignal {
    return this.#signal ?? this.#idle();
  }

  chat<T = string>(client: Pick<LLMClient, 'chat'>, input: LLMInput<T>): Promise<LLMResult<T>> {
    // Any client: one that is not arshai's own may hand back a pending result itself.
    return gatedChat((i) => client.chat(i), { ...input, signal: this.signal }, this.#gate);
  }

  forward(event: LLMStreamEvent<unknown>): void {
    this.#forward?.(event);
  }

  async *pipe<T>(events: AsyncIterable<LLMStreamEvent<T>>): AsyncIterable<LLMStreamEvent<T>> {
    for await (const event of events) {
      this.#forward?.(event as LLMStreamEvent<unknown>);
      yield event;
    }
  }

  get idempotencyKey(): string {
    return `${this.runId}:${this.#superStep}:${this.node}`;
  }
}

/** What `resume(runId, { approvals })` gives a node waiting on a tool approval. */
function isApprovalAnswer(value: unknown): value is ApprovalAnswer {
  return typeof value === 'object' && value !== null && 'approvals' in value && 'state' in value;
}

/** A node's return value must be nothing or an object of state fields it may write. */
function checkUpdate(node: string, update: unknown): void {
  if (update === undefined || update === null) return;
  if (typeof update !== 'object' || Array.isArray(update)) {
    const got = Array.isArray(update) ? 'an array' : `a ${typeof update}`;
    throw new InvalidNodeUpdateError(
      node,
      `returned ${got}; a node returns an object of the state fields it changes, or nothing`,
    );
  }
  for (const field in update) {
    if (ENGINE_FIELDS.has(field)) {
      throw new InvalidNodeUpdateError(node, `wrote "${field}", which the engine maintains`);
    }
    // Assigning it would replace the state's prototype instead of storing a value.
    if (field === '__proto__') {
      throw new InvalidNodeUpdateError(node, 'wrote "__proto__", which cannot be a state field');
    }
  }
}
