import { ArshaiError } from './arshai-error.js';

/**
 * The caller passed something arshai cannot accept. `field` names what was wrong.
 *
 * @example
 * ```ts
 * if (InvalidInputError.isInstance(e)) console.log(e.field); // e.g. 'maxTurns'
 * ```
 */
export class InvalidInputError extends ArshaiError {
  static override readonly code: string = 'InvalidInputError';

  readonly field: string;

  constructor(field: string, problem: string, options: { cause?: unknown } = {}) {
    super(`Invalid ${field}: ${problem}`, options);
    this.field = field;
  }
}
