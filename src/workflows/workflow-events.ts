import type { AbortError } from '../errors/abort-error.js';
import type { ArshaiError } from '../errors/arshai-error.js';
import type { Spent } from '../llm/budget.js';
import type { LLMStreamEvent } from '../llm/stream-event.js';
import type { WorkflowRunError } from './workflow-errors.js';
import type { StateUpdate, WorkflowState } from './workflow-state.js';

/** What every {@link WorkflowResult} carries, whatever its status. */
export interface WorkflowResultBase<S extends object = object> {
  runId: string;
  state: WorkflowState<S>;
  /** What the run spent (model calls, tool calls, tokens, cost), when it spent anything. */
  spent?: Spent;
}

/**
 * How a run ended (so far), discriminated on `status`: an `interrupted` run has its
 * `interrupt`, a `failed` one its `error`.
 *
 * @example
 * ```ts
 * const result = await runner.executeWorkflow({ userId: 'u1', inputData: 'Hello' });
 * if (result.status === 'interrupted') console.log(result.interrupt.payload);
 * else if (result.status === 'failed') console.error(result.error.message);
 * ```
 */
export type WorkflowResult<S extends object = object> =
  | (WorkflowResultBase<S> & { status: 'completed'; interrupt?: undefined; error?: undefined })
  | (WorkflowResultBase<S> & {
      status: 'interrupted';
      /** The node that asked and what it asked. */
      interrupt: { node: string; payload: unknown };
      error?: undefined;
    })
  | (WorkflowResultBase<S> & {
      status: 'failed';
      interrupt?: undefined;
      /** A typed error (`NodeExecutionError`, `StepLimitExceededError`, `StateConflictError`) carrying the last state. */
      error: WorkflowRunError;
    });

/**
 * One event of a streamed run:
 * `run-start`, `node-start` / `node-end` (with timings and the update) / `node-error`,
 * `custom` (from `ctx.emit`), `message` (a model's stream event from inside a node, from
 * `ctx.forward` / `ctx.pipe`), `updates` and `state` (after each step: the nodes' updates,
 * the whole state), `interrupt`, `error` (the run
 * failed), `done` (last, with the result), `aborted` (last, only for a real abort: the
 * signal fired or the run's time limit passed; then the iterator throws) or `failed` (last,
 * the runner itself could not go on — e.g. a `CheckpointError`; then the iterator throws).
 */
export type WorkflowEvent<S extends object = object> =
  | { type: 'run-start'; runId: string; resumed: boolean }
  | { type: 'node-start'; runId: string; node: string; step: number }
  | {
      type: 'node-end';
      runId: string;
      node: string;
      step: number;
      durationMs: number;
      update: StateUpdate<S> | undefined;
      /** What the node's model and tool calls spent, when they spent anything. */
      spent?: Spent;
    }
  | {
      type: 'node-error';
      runId: string;
      node: string;
      step: number;
      durationMs: number;
      error: Error;
      spent?: Spent;
    }
  | { type: 'custom'; runId: string; node: string; name: string; data: unknown }
  /** A model stream event from inside a node (`ctx.forward` / `ctx.pipe`): tokens, tools. */
  | { type: 'message'; runId: string; node: string; step: number; event: LLMStreamEvent<unknown> }
  /** After each step: what each node of it returned, by node. */
  | {
      type: 'updates';
      runId: string;
      step: number;
      updates: Record<string, StateUpdate<S> | undefined>;
    }
  | { type: 'state'; runId: string; step: number; state: WorkflowState<S> }
  | { type: 'interrupt'; runId: string; node: string; payload: unknown }
  | { type: 'error'; runId: string; error: WorkflowRunError }
  | { type: 'done'; result: WorkflowResult<S> }
  | { type: 'aborted'; error: AbortError }
  | { type: 'failed'; error: ArshaiError };
