import { AbortError } from '../errors/abort-error.js';
import { ArshaiError } from '../errors/arshai-error.js';
import { InvalidInputError } from '../errors/invalid-input-error.js';
import { pushStream } from '../utils/push-stream.js';
import type { WorkflowEvent, WorkflowResult } from './workflow-events.js';

/**
 * What a workflow stream carries (`runner.stream(input, { mode })`): `values` (the whole
 * state after each step: `state` events), `updates` (each node's update per step), `nodes`
 * (node-start / node-end / node-error), `messages` (models' text deltas and tool events from
 * inside nodes), `custom` (`ctx.emit`). Run events (`run-start`, `interrupt`, `error`,
 * `done`, `aborted`, `failed`) come in every mode.
 */
export type StreamMode = 'values' | 'updates' | 'nodes' | 'messages' | 'custom';

const MODE_OF: Readonly<Record<string, StreamMode>> = {
  state: 'values',
  updates: 'updates',
  'node-start': 'nodes',
  'node-end': 'nodes',
  'node-error': 'nodes',
  message: 'messages',
  custom: 'custom',
};
const MODES: ReadonlySet<string> = new Set(Object.values(MODE_OF));

/** The modes asked for, checked; undefined for every event. */
export function checkModes(
  mode: StreamMode | readonly StreamMode[] | undefined,
): ReadonlySet<StreamMode> | undefined {
  if (mode === undefined) return undefined;
  const modes = typeof mode === 'string' ? [mode] : mode;
  if (!Array.isArray(modes) || modes.length === 0 || modes.some((m) => !MODES.has(m)))
    throw new InvalidInputError('mode', `must be one or more of ${[...MODES].join(', ')}`);
  return new Set(modes);
}

/**
 * The events of `events` in `modes` (run events always). Stopping early stops the run: the
 * inner stream is closed, which aborts the run's work.
 */
export async function* inModes<S extends object>(
  events: AsyncGenerator<WorkflowEvent<S>>,
  modes: ReadonlySet<StreamMode>,
): AsyncGenerator<WorkflowEvent<S>> {
  for await (const event of events) {
    const mode = MODE_OF[event.type];
    if (mode === undefined || modes.has(mode)) yield event;
  }
}

/**
 * A run as a stream of its events, `done` last with the result; an abort ends it with
 * `aborted`, a runner failure with `failed` (then the iterator throws). A consumer that stops
 * reading aborts `run`'s signal.
 */
export function workflowStream<S extends object>(
  run: (emit: (e: WorkflowEvent<S>) => void, signal: AbortSignal) => Promise<WorkflowResult<S>>,
  signal?: AbortSignal,
): AsyncGenerator<WorkflowEvent<S>> {
  return pushStream<WorkflowEvent<S>, WorkflowResult<S>>(
    run,
    (result) => ({ type: 'done', result }),
    (error) => {
      if (AbortError.isInstance(error)) {
        return { event: { type: 'aborted', error }, thenThrow: error };
      }
      const typed = ArshaiError.isInstance(error)
        ? error
        : new ArshaiError(`The workflow runner failed: ${String(error)}`, { cause: error });
      return { event: { type: 'failed', error: typed }, thenThrow: typed };
    },
    {
      ...(signal ? { signal } : {}),
      stopReason: () => new AbortError('The stream consumer stopped reading'),
    },
  );
}
