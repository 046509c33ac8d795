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

  /** The model's last answer (not enumerable: `JSON.stringify(error)` leaves it out). */
  declare readonly text: string;
  readonly issues: string;
  readonly usage: Usage | undefined;

  constructor(text: string, issues: string, usage?: Usage, options: { cause?: unknown } = {}) {
    // The message never quotes the answer (a JSON parser's message does): it may be stored.
    const summary = issues.startsWith('not valid JSON') ? 'not valid JSON' : issues;
    super(`The model's answer does not match the expected structure: ${summary}`, options);
    Object.defineProperty(this, 'text', { value: text, enumerable: false });
    this.issues = summary;
    this.usage = usage;
  }
}
