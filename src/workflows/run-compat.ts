import type { Checkpoint } from './checkpointer.js';
import { type CompiledWorkflow, joinKey } from './compiled-workflow.js';
import { IncompatibleRunError } from './workflow-errors.js';

/**
 * Refuses, before anything is claimed, a stored run this graph cannot continue: one that
 * stands at, waits in, or keeps writes or join progress of nodes the graph does not have (a
 * deploy renamed or removed them). A run that will not be continued (completed, or failed
 * with nothing to retry) is not checked: its result comes back as it is.
 */
export function assertContinuable<S extends object, I extends object>(
  workflow: CompiledWorkflow<S, I>,
  last: Checkpoint,
): void {
  if (last.status === 'completed' || (last.status === 'failed' && last.next.length === 0)) return;
  const needed = new Set<string>(last.next);
  if (last.interrupt) needed.add(last.interrupt.node);
  if (last.answers) needed.add(last.answers.node);
  for (const write of last.writes ?? []) needed.add(write.node);
  const missing = [...needed].filter((node) => !workflow.nodes.has(node));
  const joins = new Set(workflow.joins.map(joinKey));
  for (const key of Object.keys(last.joins ?? {})) if (!joins.has(key)) missing.push(`join ${key}`);
  if (missing.length === 0) return;
  throw new IncompatibleRunError(last.runId, last.workflow, missing, {
    stored: last.graph,
    current: workflow.fingerprint,
  });
}
