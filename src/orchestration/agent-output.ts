/**
 * An agent's output as the next agent's message: strings as they are, everything else as
 * JSON (never `[object Object]`).
 */
export function outputToMessage(output: unknown): string {
  if (typeof output === 'string') return output;
  if (output === undefined) return '';
  try {
    return JSON.stringify(output) ?? String(output);
  } catch {
    return String(output);
  }
}

/** An error value as an `Error` (keeping it when it is one). */
export function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
