import { InvalidInputError } from '../errors/invalid-input-error.js';
import { linkedController } from '../utils/abort.js';
import { assertId } from '../utils/ids.js';
import { checkCount, checkTimeoutMs } from '../utils/option-checks.js';
import type { RunStartOptions, RunStepOptions } from './runner-options.js';

/** A UTF-16 surrogate without its pair. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Checks what `executeWorkflow` takes, before anything runs or is stored. */
export function checkInput(input: RunStartOptions & { state?: unknown }): void {
  if (typeof input?.userId !== 'string' || input.userId === '') {
    throw new InvalidInputError('userId', 'a user id string is required');
  }
  // A lone surrogate would be stored as U+FFFD: two users would read as one.
  if (LONE_SURROGATE.test(input.userId)) {
    throw new InvalidInputError('userId', 'must be well-formed text (no lone surrogates)');
  }
  if (input.runId !== undefined) assertId(input.runId, 'runId');
  if (
    input.state !== undefined &&
    (typeof input.state !== 'object' || Array.isArray(input.state))
  ) {
    throw new InvalidInputError('state', 'must be an object of your state fields');
  }
  if (input.state && Object.hasOwn(input.state, '__proto__')) {
    throw new InvalidInputError('state.__proto__', 'cannot be a state field');
  }
  checkCount(input.interactionCount, 'interactionCount', 0);
}

/**
 * The run's signal: its own, linked to the caller's and limited by `timeoutMs`, released when
 * the run ends (listeners its nodes leave never pile up on a long-lived caller signal). No
 * controller and no timer when the caller gave neither.
 */
export function timeLimit(
  signal: AbortSignal | undefined,
  timeoutMs: number | undefined,
): { signal: AbortSignal | undefined; dispose(): void } {
  if (timeoutMs === undefined && signal === undefined) return { signal, dispose: noop };
  checkTimeoutMs(timeoutMs, 'timeoutMs');
  return linkedController(signal, timeoutMs, 'The workflow run');
}

function noop(): void {}

/** Checks `runStep`'s options; resolves the step's resumes and the times its job was taken. */
export function checkRunStep(options: RunStepOptions): { resumes: number; taken: number } {
  checkCount(options.step, 'step', 0);
  const resumes = options.resumes ?? 0;
  checkCount(resumes, 'resumes', 0);
  const taken = options.taken ?? 1;
  checkCount(taken, 'taken', 1);
  return { resumes, taken };
}
