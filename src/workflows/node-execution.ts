import { retry } from '../resilience/retry.js';
import { abortErrorFrom, linkedController, raceAbort } from '../utils/abort.js';
import type { CompiledWorkflow } from './compiled-workflow.js';
import type { WorkflowEvent } from './workflow-events.js';
import type { NodeContext } from './workflow-node.js';
import type { StateUpdate, WorkflowState } from './workflow-state.js';

/** The value a resumed run hands to the interrupted node. */
export interface Resume {
  node: string;
  value: unknown;
}

/** What one node execution produced. */
export interface NodeOutcome<S extends object> {
  node: string;
  step: number;
  update?: StateUpdate<S>;
  error?: Error;
  /** Set when the node called `ctx.interrupt(payload)` with no answer yet. */
  interrupt?: unknown;
}

const NEVER = new AbortController().signal;

/** Thrown by `ctx.interrupt` to stop the node; never leaves the engine. */
class NodeInterrupt {
  constructor(readonly payload: unknown) {}
}

interface Execution<S extends object> {
  runId: string;
  step: number;
  signal: AbortSignal | undefined;
  resume: Resume | undefined;
  emit: ((event: WorkflowEvent<S>) => void) | undefined;
}

/**
 * Runs one node with its timeout and retry policy. Failures and interrupts become outcomes;
 * only an abort of the run rejects.
 */
export async function executeNode<S extends object>(
  workflow: CompiledWorkflow<S>,
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
  const attempt = async (): Promise<StateUpdate<S> | undefined> => {
    // Without a time limit the node shares the run's signal: no controller, no timer.
    const limit =
      timeoutMs === undefined ? undefined : linkedController(x.signal, timeoutMs, `Node "${name}"`);
    const signal = limit?.signal ?? x.signal ?? NEVER;
    const context: NodeContext = {
      signal,
      runId: x.runId,
      node: name,
      step: x.step,
      interrupt: <T>(payload: unknown): T => {
        if (x.resume?.node === name) return x.resume.value as T;
        throw new NodeInterrupt(payload);
      },
      emit: (eventName, data) =>
        emit?.({ type: 'custom', runId: x.runId, node: name, name: eventName, data }),
    };
    try {
      const running = node.run(state, state.input, context);
      // A node that ignores its signal is still cut off when the run or its time limit aborts.
      return x.signal || limit ? await raceAbort(Promise.resolve(running), signal) : await running;
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
              !(e instanceof NodeInterrupt) && (retryOptions.shouldRetry?.(e, n) ?? isRetryable(e)),
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
    });
    return { node: name, step: x.step, ...(update ? { update } : {}) };
  } catch (error) {
    if (error instanceof NodeInterrupt)
      return { node: name, step: x.step, interrupt: error.payload };
    if (x.signal?.aborted) throw abortErrorFrom(x.signal);
    const err = error instanceof Error ? error : new Error(String(error));
    emit?.({
      type: 'node-error',
      runId: x.runId,
      node: name,
      step: x.step,
      durationMs: performance.now() - started,
      error: err,
    });
    return { node: name, step: x.step, error: err };
  }
}

function isRetryable(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { retryable?: unknown }).retryable === true
  );
}
