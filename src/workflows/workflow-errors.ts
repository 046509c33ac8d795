import { ArshaiError } from '../errors/arshai-error.js';
import { InvalidInputError } from '../errors/invalid-input-error.js';
import type { Checkpoint } from './checkpointer.js';

/** `compile()` found problems; `problems` lists every one. */
export class WorkflowValidationError extends ArshaiError {
  static override readonly code: string = 'WorkflowValidationError';

  readonly problems: string[];

  constructor(problems: string[]) {
    super(`The workflow is not valid:\n- ${problems.join('\n- ')}`);
    this.problems = problems;
  }
}

/** Base of the errors that end a run; carries the run id and the last state. */
export class WorkflowRunError extends ArshaiError {
  static override readonly code: string = 'WorkflowRunError';

  readonly runId: string;
  /** The last state (not enumerable: `JSON.stringify(error)` leaves the run's data out). */
  declare readonly state: unknown;

  constructor(
    message: string,
    runId: string,
    state: unknown,
    options: { cause?: unknown; retryable?: boolean } = {},
  ) {
    super(message, options);
    this.runId = runId;
    Object.defineProperty(this, 'state', { value: state, enumerable: false });
  }
}

/** A node failed and no error route was declared. */
export class NodeExecutionError extends WorkflowRunError {
  static override readonly code: string = 'NodeExecutionError';

  readonly node: string;

  constructor(node: string, runId: string, state: unknown, cause: unknown) {
    super(`Node "${node}" failed: ${(cause as Error)?.message ?? String(cause)}`, runId, state, {
      cause,
      retryable: ArshaiError.isInstance(cause) && cause.retryable,
    });
    this.node = node;
  }
}

/**
 * A node returned something that is not a state update: not an object (a string, an array),
 * or an object writing the engine's own fields (`processingPath`, `stepCount`, ...). The run
 * fails with a `NodeExecutionError` caused by this; nothing from that step is merged.
 */
export class InvalidNodeUpdateError extends InvalidInputError {
  static override readonly code: string = 'InvalidNodeUpdateError';

  readonly node: string;

  constructor(node: string, problem: string) {
    super(`nodes.${node}`, problem);
    this.node = node;
  }
}

/** The run reached `maxSteps` node executions (a runaway cycle). */
export class StepLimitExceededError extends WorkflowRunError {
  static override readonly code: string = 'StepLimitExceededError';

  readonly maxSteps: number;

  constructor(maxSteps: number, runId: string, state: unknown) {
    super(`The workflow exceeded maxSteps=${maxSteps} node executions`, runId, state);
    this.maxSteps = maxSteps;
  }
}

/** Parallel branches wrote the same key, and no reducer says how to merge them. */
export class StateConflictError extends WorkflowRunError {
  static override readonly code: string = 'StateConflictError';

  readonly key: string;
  readonly nodes: string[];

  constructor(key: string, nodes: string[], runId: string, state: unknown) {
    super(
      `Parallel nodes ${nodes.join(', ')} all wrote "${key}" and it has no reducer`,
      runId,
      state,
    );
    this.key = key;
    this.nodes = nodes;
  }
}

/**
 * A reducer threw while merging a step (`compile({ reducers })`), or could not take the value
 * it met (a list reducer on a `null` initial value). The run is recorded failed where the
 * step stood, with the branches' writes kept: `resume` merges them again (after a fix)
 * without running the branches twice.
 */
export class ReducerError extends WorkflowRunError {
  static override readonly code: string = 'ReducerError';

  /** The state key whose reducer failed. */
  readonly key: string;
  /** The nodes that wrote the key in that step. */
  readonly nodes: string[];

  constructor(key: string, nodes: string[], runId: string, state: unknown, cause: unknown) {
    super(
      `The reducer of "${key}" failed merging the writes of ${nodes.join(', ')}: ${(cause as Error)?.message ?? String(cause)}`,
      runId,
      state,
      { cause },
    );
    this.key = key;
    this.nodes = nodes;
  }
}

/**
 * The error a stored run failed with, as its checkpoint kept it (its `name`, `message` and
 * whether it was retryable): the cause of the error a finished failed run is reported with.
 */
export class StoredRunError extends ArshaiError {
  static override readonly code: string = 'StoredRunError';

  constructor(stored: { name: string; message: string; retryable?: boolean | undefined }) {
    super(`${stored.name}: ${stored.message}`, { retryable: stored.retryable === true });
  }
}

/**
 * This graph cannot continue the stored run: the run stands at (or keeps writes of) nodes
 * the graph does not have — a node renamed or removed by a new deploy. Nothing was claimed or
 * run: the run waits as it was, for a graph that has them (see "Runs across deploys" in the
 * workflow docs).
 *
 * @example
 * ```ts
 * if (IncompatibleRunError.isInstance(e)) console.log(e.missing); // [ 'ask' ]
 * ```
 */
export class IncompatibleRunError extends ArshaiError {
  static override readonly code: string = 'IncompatibleRunError';

  readonly runId: string;
  /** The nodes the run needs that this graph does not have. */
  readonly missing: string[];
  /** The fingerprint of the graph that last wrote the run, when it recorded one. */
  readonly storedGraph: string | undefined;
  /** The fingerprint of this graph. */
  readonly graph: string;

  constructor(
    runId: string,
    workflow: string,
    missing: string[],
    graphs: { stored: string | undefined; current: string },
  ) {
    const nodes = missing.map((n) => `"${n}"`).join(', ');
    super(
      `Run "${runId}" of workflow "${workflow}" needs ${missing.length === 1 ? 'node' : 'nodes'} ${nodes}, which this graph does not have (it was written by graph ${graphs.stored ?? 'of an earlier version'}, this is ${graphs.current}): nothing was claimed; resume it with a graph that has ${missing.length === 1 ? 'it' : 'them'}`,
    );
    this.runId = runId;
    this.missing = missing;
    this.storedGraph = graphs.stored;
    this.graph = graphs.current;
  }
}

/** `resume` was asked for a run the checkpointer does not know. */
export class RunNotFoundError extends ArshaiError {
  static override readonly code: string = 'RunNotFoundError';

  readonly runId: string;

  constructor(runId: string) {
    super(`No checkpoint for run "${runId}"`);
    this.runId = runId;
  }
}

/**
 * Another runner claimed the run first (two resumes of one run, or a resume while the run is
 * still going elsewhere). Nothing was run by the loser; the winner's checkpoints stand.
 *
 * @example
 * ```ts
 * try { await runner.resume(runId, { value: 'approve' }) } catch (e) {
 *   if (RunConflictError.isInstance(e)) console.log('someone else answered first');
 * }
 * ```
 */
export class RunConflictError extends ArshaiError {
  static override readonly code: string = 'RunConflictError';

  readonly runId: string;
  /** The checkpoint version both wanted to write. */
  readonly version: number;

  constructor(runId: string, version: number, why = `checkpoint version ${version} exists`) {
    super(`Run "${runId}" was continued by another runner (${why})`);
    this.runId = runId;
    this.version = version;
  }
}

/**
 * A checkpoint could not be written or read (the store failed, or the state is not JSON). The
 * run stopped; `resume(runId)` continues from the last checkpoint that was written.
 *
 * @example
 * ```ts
 * const result = await runner.executeWorkflow(input).catch(async (e) =>
 *   CheckpointError.isInstance(e) && e.retryable ? runner.resume(e.runId) : Promise.reject(e));
 * ```
 */
export class CheckpointError extends ArshaiError {
  static override readonly code: string = 'CheckpointError';

  readonly runId: string;
  /** The step of the checkpoint (`-1` for a read of the latest one). */
  readonly step: number;
  /** Whether writing or reading failed. */
  readonly operation: 'write' | 'read';

  constructor(runId: string, step: number, cause: unknown, operation: 'write' | 'read' = 'write') {
    super(
      operation === 'write'
        ? `Could not write checkpoint ${step} of run "${runId}": ${messageOf(cause)}`
        : `Could not read the checkpoints of run "${runId}": ${messageOf(cause)}`,
      { cause, retryable: ArshaiError.isInstance(cause) ? cause.retryable : true },
    );
    this.runId = runId;
    this.step = step;
    this.operation = operation;
  }
}

function messageOf(cause: unknown): string {
  return (cause as Error)?.message ?? String(cause);
}

/** One problem a state schema found: the field's path and what was wrong (never its value). */
export interface StateIssue {
  path: string;
  message: string;
}

/**
 * The state does not match the workflow's state schema (`new WorkflowGraph({ state })`): a
 * node wrote a field of the wrong type or one the schema does not have (`node` names it; the
 * run fails and nothing of that step is checkpointed), or a stored checkpoint does not match
 * a changed schema and no `migrate` hook mends it (`node` is undefined; nothing is claimed).
 */
export class StateValidationError extends WorkflowRunError {
  static override readonly code: string = 'StateValidationError';

  /** The node whose update broke the schema, when a node did. */
  readonly node: string | undefined;
  /** The first field that is wrong (`count`, `order.total`). */
  readonly field: string;
  readonly issues: StateIssue[];

  constructor(
    message: string,
    fields: { runId: string; state: unknown; node?: string; issues: StateIssue[] },
  ) {
    super(message, fields.runId, fields.state);
    this.node = fields.node;
    this.issues = fields.issues;
    this.field = fields.issues[0]?.path ?? '';
  }
}

/** A run's error as its failed checkpoint keeps it: what it was, where, whether to retry. */
export function storedErrorOf(error: WorkflowRunError): NonNullable<Checkpoint['error']> {
  return {
    name: error.name,
    message: error.message,
    ...('node' in error && error.node !== undefined ? { node: String(error.node) } : {}),
    ...(error.retryable ? { retryable: true } : {}),
    ...(error.cause instanceof Error
      ? { cause: { name: error.cause.name, message: error.cause.message } }
      : {}),
  };
}
