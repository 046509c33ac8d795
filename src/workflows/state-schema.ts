import type { ZodType } from 'zod/v4';
import { InvalidInputError } from '../errors/invalid-input-error.js';
import type { Checkpoint } from './checkpointer.js';
import { type StateIssue, StateValidationError } from './workflow-errors.js';
import { ENGINE_FIELDS } from './workflow-state.js';

/** A zod object schema of the user's own state fields (`S` as parsed, `I` as given). */
export type StateSchemaType<S, I = S> = ZodType<S, I> & { shape: Record<string, unknown> };

/** How stored state of an older schema becomes state of the current one. */
export type MigrateState<S> = (
  stored: Record<string, unknown>,
  info: { runId: string; step: number },
) => Partial<S> | Record<string, unknown>;

/** The state fields a node may write besides the schema's: the engine's merged ones. */
const WRITABLE: ReadonlySet<string> = new Set(['agentData', 'workingMemories', 'errors']);

/** The fields every workflow state has (the engine's). */
const ENGINE: ReadonlySet<string> = new Set([...ENGINE_FIELDS, ...WRITABLE]);

/**
 * The workflow's state schema at work: node updates and merged states are checked after each
 * step, a run's input state when it starts, a stored state when a run is continued.
 */
export class StateSchema {
  readonly #schema: StateSchemaType<unknown>;
  readonly #migrate: MigrateState<object> | undefined;
  readonly #keys: ReadonlySet<string>;

  constructor(schema: StateSchemaType<unknown>, migrate?: MigrateState<object>) {
    if (typeof schema?.safeParse !== 'function' || typeof schema.shape !== 'object') {
      throw new InvalidInputError('state', 'must be a zod object schema (z.object({ ... }))');
    }
    if (migrate !== undefined && typeof migrate !== 'function') {
      throw new InvalidInputError('migrate', 'must be a function');
    }
    this.#schema = schema;
    this.#migrate = migrate;
    this.#keys = new Set(Object.keys(schema.shape));
  }

  /** The run's input state, checked, with the schema's defaults: or an `InvalidInputError`. */
  input(state: Record<string, unknown> | undefined): Record<string, unknown> {
    for (const key of Object.keys(state ?? {})) {
      if (!this.#keys.has(key))
        throw new InvalidInputError(`state.${key}`, 'is not a field of the state schema');
    }
    const parsed = this.#schema.safeParse(state ?? {});
    if (parsed.success) return parsed.data as Record<string, unknown>;
    const [issue] = issuesOf(parsed.error);
    throw new InvalidInputError(`state.${issue?.path}`, issue?.message ?? 'is not valid');
  }

  /** The step's problem: a node wrote an unknown field, or the merged state breaks the schema. */
  check(
    outcomes: readonly { node: string; update?: object | undefined }[],
    state: object,
    runId: string,
    before: object,
  ): StateValidationError | undefined {
    for (const o of outcomes) {
      for (const key in o.update) {
        if (!this.#keys.has(key) && !WRITABLE.has(key)) {
          const issues = [{ path: key, message: 'is not a field of the state schema' }];
          return invalid(`Node "${o.node}" wrote "${key}", which the state schema does not have`, {
            runId,
            state: before,
            node: o.node,
            issues,
          });
        }
      }
    }
    const parsed = this.#schema.safeParse(this.#fields(state));
    if (parsed.success) return undefined;
    const issues = issuesOf(parsed.error);
    const top = issues[0]?.path.split('.')[0];
    const node = outcomes.find(
      (o) => o.update && top !== undefined && Object.hasOwn(o.update, top),
    )?.node;
    const who = node ? `Node "${node}" left` : 'The step left';
    return invalid(`${who} state field "${issues[0]?.path}" invalid: ${issues[0]?.message}`, {
      runId,
      state: before,
      ...(node ? { node } : {}),
      issues,
    });
  }

  /** A stored checkpoint that matches the schema (migrated if it must be), or the error. */
  stored(checkpoint: Checkpoint): Checkpoint {
    const state = checkpoint.state as Record<string, unknown>;
    const fields = this.#fields(state);
    if (this.#schema.safeParse(fields).success) return checkpoint;
    const { runId, step } = checkpoint;
    const engine: Record<string, unknown> = {};
    const own: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(state)) (ENGINE.has(key) ? engine : own)[key] = value;
    const migrated = this.#migrate?.(own, { runId, step });
    const parsed = this.#schema.safeParse(migrated ?? fields);
    if (parsed.success) {
      // The stored fields the schema no longer has go: the state is of the new schema.
      const mended = { ...engine, ...(parsed.data as Record<string, unknown>) };
      return { ...checkpoint, state: mended as Checkpoint['state'] };
    }
    const issues = issuesOf(parsed.error);
    const how = this.#migrate ? 'even after migrate()' : 'and the workflow has no migrate()';
    return invalid(
      `Run "${runId}" was stored at step ${step} with a state that does not match the state schema (${issues[0]?.path}: ${issues[0]?.message}), ${how}`,
      { runId, state, issues },
      true,
    );
  }

  /** The schema's fields of a state. */
  #fields(state: object): Record<string, unknown> {
    const fields: Record<string, unknown> = {};
    for (const key of this.#keys) {
      if (Object.hasOwn(state, key)) fields[key] = (state as Record<string, unknown>)[key];
    }
    return fields;
  }
}

function invalid(
  message: string,
  fields: ConstructorParameters<typeof StateValidationError>[1],
  raise?: false,
): StateValidationError;
function invalid(
  message: string,
  fields: ConstructorParameters<typeof StateValidationError>[1],
  raise: true,
): never;
function invalid(
  message: string,
  fields: ConstructorParameters<typeof StateValidationError>[1],
  raise = false,
): StateValidationError {
  const error = new StateValidationError(message, fields);
  if (raise) throw error;
  return error;
}

/** Zod's issues as paths and messages (zod's messages name types, never values). */
function issuesOf(error: { issues: { path: PropertyKey[]; message: string }[] }): StateIssue[] {
  return error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
}
