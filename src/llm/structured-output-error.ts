import { ArshaiError } from '../errors/arshai-error.js';
import type { Usage } from './usage.js';

/**
 * The model's final answer did not match `structureType`, even after one repair turn.
 * `text` is the last answer; `issues` lists what was wrong.
 *
 * @example
 * ```ts
 * if (StructuredOutputError.isInstance(e)) console.log(e.issues);
 * ```
 */
export class StructuredOutputError extends ArshaiError {
  static override readonly code: string = 'StructuredOutputError';

  readonly text: string;
  readonly issues: string;
  readonly usage: Usage | undefined;

  constructor(text: string, issues: string, usage?: Usage, options: { cause?: unknown } = {}) {
    super(`The model's answer does not match the expected structure: ${issues}`, options);
    this.text = text;
    this.issues = issues;
    this.usage = usage;
  }
}
