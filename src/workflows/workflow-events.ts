import type { AbortError } from '../errors/abort-error.js';
import type { ArshaiError } from '../errors/arshai-error.js';
import type { Spent } from '../llm/budget.js';
import type { LLMStreamEvent } from '../llm/stream-event.js';
import type { WorkflowRunError } from './workflow-errors.js';
import type { StateUpdate, WorkflowState } from './workflow-state.js';

/** How a run ended (so far). */
export interface WorkflowResult<S extends object = object> {
  runId: string;
  status: 'completed' | 'interrupted' | 'failed';
  state: WorkflowState<S>;
  /** While interrupted: the node that asked and what it asked. */
  interrupt?: { node: string; payload: unknown };
  /** When failed: a typed error (`NodeExecutionError`, `StepLimitExceededError`, `StateConflictError`) carrying the last state. */
  error?: WorkflowRunError;
  /** What the run spent (model calls, tool calls, tokens, cost), when it spent anything. */
  spent?: Spent;
}

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
