import { InvalidInputError } from '../errors/invalid-input-error.js';

const ID = /^[A-Za-z0-9_.@+=-]{1,128}$/;

/**
 * Throws `InvalidInputError` unless `value` is a safe id: 1-128 characters of letters, digits
 * and `_ . @ + = -`, no `..` (so no `*`, `:`, `/`, spaces, or text that is not plain ASCII).
 * The one rule for every id a store keys by: conversations, entries, namespaces, users, runs.
 *
 * @example
 * ```ts
 * assertId('order-42', 'runId'); // passes; 'run:42' throws InvalidInputError naming runId
 * ```
 */
export function assertId(value: unknown, field: string): asserts value is string {
  if (typeof value !== 'string' || !ID.test(value) || value.includes('..')) {
    throw new InvalidInputError(
      field,
      'must be 1-128 characters of letters, digits, _ - . @ + = (no "..")',
    );
  }
}

const CHILD = /^[A-Za-z0-9_-]{1,64}\.\d{1,9}$/;

/**
 * A run id (the id rule), or the id of a subworkflow's run inside one: the parent's run id,
 * then `/<node>.<step>` per level (`order-42/review.3/check.1`). Ids with `/` are made by the
 * engine only: `executeWorkflow` takes plain ids, so no run of yours can name a child's.
 *
 * @example
 * ```ts
 * assertRunId('order-42/review.3', 'runId'); // passes
 * ```
 */
export function assertRunId(value: unknown, field: string): asserts value is string {
  if (typeof value === 'string' && value.length <= 1024 && value.includes('/')) {
    const [root, ...levels] = value.split('/');
    assertId(root, field);
    if (levels.every((level) => CHILD.test(level))) return;
    throw new InvalidInputError(field, 'a subworkflow run id is <runId>/<node>.<step>, nested');
  }
  assertId(value, field);
}

/** Whether a run id names a subworkflow's run (one inside another run). */
export function isChildRunId(runId: string): boolean {
  return runId.includes('/');
}
