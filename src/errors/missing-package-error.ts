import { ArshaiError } from './arshai-error.js';

/**
 * An optional package that part of arshai needs is not installed: `packageName` says which,
 * and the message how to add it (`npm install openai`).
 *
 * @example
 * ```ts
 * try { await llm.chat(input) } catch (e) {
 *   if (MissingPackageError.isInstance(e)) console.log(`install ${e.packageName}`);
 * }
 * ```
 */
export class MissingPackageError extends ArshaiError {
  static override readonly code: string = 'MissingPackageError';

  /** The npm package to install, e.g. `openai`. */
  readonly packageName: string;

  constructor(packageName: string, feature: string, options: { cause?: unknown } = {}) {
    super(`${feature} needs the ${packageName} package: npm install ${packageName}`, options);
    this.packageName = packageName;
  }
}
