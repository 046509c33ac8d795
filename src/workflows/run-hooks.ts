import { callHook } from '../llm/loop-hooks.js';
import { endSpan, inSpan, startSpan, traceparentOf } from '../telemetry/spans.js';
import type { SpanLike, TelemetryOptions } from '../telemetry/telemetry-types.js';
import { silentLogger } from '../utils/logger.js';
import type { Position } from './run-position.js';
import type { WorkflowRunnerOptions } from './runner-options.js';
import type { Emit } from './step-engine.js';
import type { WorkflowResult } from './workflow-events.js';

/**
 * The `invoke_workflow {name}` span of one call on a run (a child of the run's trace when it
 * continues a run started elsewhere); the run's steps become its children.
 */
export function runSpan<S extends object>(
  telemetry: TelemetryOptions | undefined,
  workflow: string,
  position: Position<S>,
  resumed: boolean,
): SpanLike | undefined {
  const span = startSpan(
    telemetry,
    `invoke_workflow ${workflow}`,
    {
      'gen_ai.operation.name': 'invoke_workflow',
      'arshai.workflow.name': workflow,
      'arshai.run.id': position.runId,
      'arshai.workflow.resumed': resumed,
    },
    { parent: position.span },
  );
  if (!span) return undefined;
  position.span = span;
  position.trace ??= traceparentOf(span);
  return span;
}

/** Runs `work` under the run's span, which ends with its outcome. */
export async function traced<S extends object>(
  span: SpanLike | undefined,
  work: () => Promise<WorkflowResult<S>>,
): Promise<WorkflowResult<S>> {
  if (!span) return work();
  try {
    const result = await inSpan(span, work);
    span.setAttribute('arshai.workflow.status', result.status);
    endSpan(span, result.error);
    return result;
  } catch (error) {
    endSpan(span, error);
    throw error;
  }
}

/** `emit`, plus the runner's node hooks (a throwing hook is logged and the run goes on). */
export function withNodeHooks<S extends object>(
  emit: Emit<S>,
  options: Pick<WorkflowRunnerOptions, 'onNodeStart' | 'onNodeFinish' | 'logger'>,
): Emit<S> {
  const { onNodeStart, onNodeFinish } = options;
  if (!onNodeStart && !onNodeFinish) return emit;
  const logger = options.logger ?? silentLogger;
  return (event) => {
    emit?.(event);
    if (event.type === 'node-start') {
      const { runId, node, step } = event;
      callHook(onNodeStart, { runId, node, step }, logger, 'onNodeStart');
    } else if (event.type === 'node-end' || event.type === 'node-error') {
      const { type: _type, ...finish } = event;
      callHook(onNodeFinish, finish, logger, 'onNodeFinish');
    }
  };
}
