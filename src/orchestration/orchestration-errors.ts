import { ArshaiError } from '../errors/arshai-error.js';
import { AllAttemptsFailedError } from '../resilience/resilience-errors.js';

/** A pipeline stage failed; `stage` is its 0-based index, `cause` the agent's error. */
export class PipelineStageError extends ArshaiError {
  static override readonly code: string = 'PipelineStageError';

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
}

/** An event cascade emitted more events than `maxEvents` allows. */
export class MaxEventsExceededError extends ArshaiError {
  static override readonly code: string = 'MaxEventsExceededError';

  readonly maxEvents: number;

  constructor(maxEvents: number) {
    super(`The event cascade exceeded maxEvents=${maxEvents}`);
    this.maxEvents = maxEvents;
  }
}

/**
 * The primary agent and every fallback failed; `errors` lists each attempt's failure (which
 * agent, which attempt). A kind of `AllAttemptsFailedError`.
 */
export class AllAgentsFailedError extends AllAttemptsFailedError {
  static override readonly code: string = 'AllAgentsFailedError';

  override readonly errors: AgentAttemptError[];

  constructor(errors: AgentAttemptError[]) {
    super(
      errors.map((e) => e.error),
      'agent attempts',
    );
    this.errors = errors;
  }
}

/** One failed attempt of a robust execution. */
export interface AgentAttemptError {
  agent: string;
  attempt: number;
  error: Error;
}
