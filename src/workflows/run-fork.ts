import { InvalidInputError } from '../errors/invalid-input-error.js';
import { type Budget, checkBudget } from '../llm/budget.js';
import { checkCount } from '../utils/option-checks.js';
import { randomUUID } from '../utils/uuid.js';
import { putCheckpoint } from './checkpoint-io.js';
import type { Checkpoint, Checkpointer } from './checkpointer.js';
import type { StateSchema } from './state-schema.js';
import { RunConflictError } from './workflow-errors.js';
import { ENGINE_FIELDS } from './workflow-state.js';

/**
 * The first checkpoint of a run forked from `history` at `step`: the state after that step
 * (the first checkpoint written at it), with `edit` applied, under a new run id. Nothing of
 * the old run changes.
 */
export function forkCheckpoint(
  history: readonly Checkpoint[],
  options: { step: number; state?: object | undefined },
  runId: string,
  schema: StateSchema | undefined,
  now: () => Date,
): Checkpoint {
  checkCount(options.step, 'step', 0);
  const from = history.find((c) => c.step === options.step);
  const old = history[0]?.runId;
  if (!from) {
    const last = history.at(-1)?.step ?? 0;
    throw new InvalidInputError('step', `run "${old}" has steps 0 to ${last}, not ${options.step}`);
  }
  const edit = options.state ?? {};
  if (typeof edit !== 'object' || Array.isArray(edit))
    throw new InvalidInputError('state', 'must be an object of your state fields');
  for (const key of Object.keys(edit)) {
    if (ENGINE_FIELDS.has(key) || key === '__proto__')
      throw new InvalidInputError(`state.${key}`, 'is kept by the engine: a fork cannot set it');
  }
  const state = { ...from.state, ...edit } as Checkpoint['state'];
  const forked: Checkpoint = {
    runId,
    workflow: from.workflow,
    step: from.step,
    version: 0,
    status: 'running',
    state,
    next: from.next,
    ran: [],
    ...(from.writes ? { writes: from.writes } : {}),
    ...(from.joins ? { joins: from.joins } : {}),
    forkedFrom: { runId: from.runId, step: from.step },
    createdAt: now().toISOString(),
  };
  forked.startedAt = forked.createdAt;
  if (!schema) return forked;
  // The edited state must match the schema (an edit is checked like a node's update).
  const invalid = schema.check([{ node: 'fork', update: edit }], state, runId, from.state);
  if (invalid) {
    throw new InvalidInputError(
      `state.${invalid.field}`,
      invalid.issues[0]?.message ?? 'is not valid',
    );
  }
  return forked;
}

/** Stores the first checkpoint of a fork of `history` (see {@link forkCheckpoint}). */
export async function storeFork(
  checkpointer: Checkpointer,
  history: readonly Checkpoint[],
  options: { step: number; state?: object | undefined; runId?: string; budget?: Budget },
  schema: StateSchema | undefined,
  now: () => Date,
  signal?: AbortSignal,
): Promise<Checkpoint> {
  const runId = options.runId ?? randomUUID();
  const forked = forkCheckpoint(history, options, runId, schema, now);
  const budget = checkBudget(options.budget);
  if (budget) forked.budget = budget;
  try {
    await putCheckpoint(checkpointer, forked, signal);
  } catch (error) {
    if (!RunConflictError.isInstance(error)) throw error;
    throw new InvalidInputError('runId', `run "${runId}" already exists`);
  }
  return forked;
}
