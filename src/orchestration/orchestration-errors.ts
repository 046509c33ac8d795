import { ArshaiError, hasMarker } from '../errors/arshai-error.js';

/** A pipeline stage failed; `stage` is its 0-based index, `cause` the agent's error. */
export class PipelineStageError extends ArshaiError {
  readonly stage: number;
  readonly stageName: string;

  constructor(stage: number, stageName: string, cause: unknown) {
    super(
      `Pipeline stage ${stage} (${stageName}) failed: ${(cause as Error)?.message ?? String(cause)}`,
      {
        cause,
        retryable: ArshaiError.isInstance(cause) && cause.retryable,
      },
    );
    this.stage = stage;
    this.stageName = stageName;
  }

  static override isInstance(value: unknown): value is PipelineStageError {
    return hasMarker(value, 'PipelineStageError');
  }
}

/** An event cascade emitted more events than `maxEvents` allows. */
export class MaxEventsExceededError extends ArshaiError {
  readonly maxEvents: number;

  constructor(maxEvents: number) {
    super(`The event cascade exceeded maxEvents=${maxEvents}`);
    this.maxEvents = maxEvents;
  }

  static override isInstance(value: unknown): value is MaxEventsExceededError {
    return hasMarker(value, 'MaxEventsExceededError');
  }
}

/** The primary agent and every fallback failed; `errors` lists each attempt's failure. */
export class AllAgentsFailedError extends ArshaiError {
  readonly errors: AgentAttemptError[];

  constructor(errors: AgentAttemptError[]) {
    super(`All agents failed (${errors.length} attempts)`, { cause: errors[0]?.error });
    this.errors = errors;
  }

  static override isInstance(value: unknown): value is AllAgentsFailedError {
    return hasMarker(value, 'AllAgentsFailedError');
  }
}

/** One failed attempt of a robust execution. */
export interface AgentAttemptError {
  agent: string;
  attempt: number;
  error: Error;
}
