/** A bad command line: printed as one line, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Exit codes of the `arshai` command. */
export const EXIT = {
  ok: 0,
  /** The run itself failed (a node error, a provider error). */
  failed: 1,
  /** Bad arguments, unknown run id, unusable store. */
  usage: 2,
} as const;
