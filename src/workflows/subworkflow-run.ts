import type { Checkpoint } from './checkpointer.js';
import type { ChildSpec } from './compiled-workflow.js';
import type { WorkflowEvent, WorkflowResult } from './workflow-events.js';
import { ENGINE_FIELDS, type WorkflowState } from './workflow-state.js';

/** One execution of a subworkflow node, as the engine hands it over. */
export interface ChildCall {
  spec: ChildSpec;
  /** The parent's run id, node and checkpoint step: the child's run id is made of them. */
  runId: string;
  node: string;
  superStep: number;
  state: Readonly<WorkflowState<object>>;
  signal: AbortSignal | undefined;
  /** The answers the parent run was given for this node, in order. */
  answers: readonly unknown[] | undefined;
  /** Pauses the parent run with `payload` (the child's question): never returns. */
  ask(payload: unknown): never;
  emit: ((event: WorkflowEvent<object>) => void) | undefined;
}

/** What the parent's runner does for a child run (the child workflow's runner, in fact). */
export interface ChildRuns {
  /** Whether runs are checkpointed (without a checkpointer a child always starts afresh). */
  persistent: boolean;
  latest(runId: string, signal: AbortSignal | undefined): Promise<Checkpoint | undefined>;
  start(
    runId: string,
    input: { userId: string; inputData: unknown; state: object },
    signal: AbortSignal | undefined,
    emit: ChildCall['emit'],
  ): Promise<WorkflowResult<object>>;
  /** Continues a stored child run; `delivered` counts the parent's answers it was given. */
  resume(
    last: Checkpoint,
    options: { value?: unknown },
    delivered: number | undefined,
    signal: AbortSignal | undefined,
    emit: ChildCall['emit'],
  ): Promise<WorkflowResult<object>>;
  remove(runId: string, signal: AbortSignal | undefined): Promise<void>;
}

/** The run id of a subworkflow node's child run: `<runId>/<node>.<step>`. */
export function childRunId(runId: string, node: string, step: number): string {
  return `${runId}/${node}.${step}`;
}

/**
 * Runs a subworkflow node: starts its child run, or continues it where it stands — after a
 * crash (from its last checkpoint), or with the parent's newest answer when it waits on an
 * interrupt. A child that asks pauses the parent with the child's question; a child that
 * failed is started afresh (the node's retry or the run's resume runs it again).
 */
export async function runSubworkflow(runs: ChildRuns, call: ChildCall): Promise<object> {
  const id = childRunId(call.runId, call.node, call.superStep);
  const answers = call.answers ?? [];
  let last = runs.persistent ? await runs.latest(id, call.signal) : undefined;
  if (last?.status === 'failed') {
    await runs.remove(id, call.signal);
    last = undefined;
  }
  let result: WorkflowResult<object>;
  if (!last) {
    const state = call.spec.input ? call.spec.input(call.state as never) : {};
    const input = { userId: call.state.userContext.userId, inputData: call.state.input, state };
    result = await runs.start(id, input, call.signal, call.emit);
  } else if (last.status === 'interrupted') {
    // Each answer of the parent goes to the child once: `delivered` counts those it had.
    const given = last.delivered ?? 0;
    if (given >= answers.length) call.ask(last.interrupt?.payload);
    result = await runs.resume(last, { value: answers[given] }, given + 1, call.signal, call.emit);
  } else {
    result = await runs.resume(last, {}, undefined, call.signal, call.emit);
  }
  if (result.status === 'interrupted') call.ask(result.interrupt?.payload);
  if (result.status === 'failed') throw result.error ?? new Error(`Subworkflow run "${id}" failed`);
  if (call.spec.output) return call.spec.output(result.state as never, call.state as never);
  const own: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(result.state)) {
    if (!ENGINE_FIELDS.has(key)) own[key] = value; // the engine's bookkeeping stays out
  }
  return { agentData: { [call.node]: own } };
}
