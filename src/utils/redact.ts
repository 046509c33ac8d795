/** What a redacted secret reads as. */
export const REDACTED = '[redacted]';

/**
 * Masks every occurrence of each secret (exact value) in an error and its whole cause chain:
 * messages, stacks and the string fields SDK errors keep (a response body echoing the key,
 * say), in place, so `console.error(err)`, `util.inspect` and JSON loggers never print it.
 * Secrets shorter than 8 characters are ignored (they would mask ordinary words).
 *
 * @example
 * ```ts
 * redactSecrets(error, [apiKey]); // error.message, error.cause.message, ... now say [redacted]
 * ```
 */
export function redactSecrets<E>(error: E, secrets: readonly string[]): E {
  const values = secrets.filter((s) => typeof s === 'string' && s.length >= 8);
  if (values.length === 0) return error;
  const mask = (text: string) => values.reduce((t, s) => t.split(s).join(REDACTED), text);
  scrub(error, mask, new Set(), 0);
  return error;
}

function scrub(value: unknown, mask: (text: string) => string, seen: Set<object>, depth: number) {
  if (typeof value !== 'object' || value === null || seen.has(value) || depth > 6) return;
  seen.add(value);
  for (const key of Reflect.ownKeys(value)) {
    if (typeof key === 'symbol') continue;
    const descriptor = Object.getOwnPropertyDescriptor(value, key);
    if (!descriptor || !('value' in descriptor)) continue;
    const field = descriptor.value;
    if (typeof field === 'string') {
      const masked = mask(field);
      if (masked !== field && descriptor.writable) (value as Record<string, unknown>)[key] = masked;
      else if (masked !== field && descriptor.configurable) {
        Object.defineProperty(value, key, { ...descriptor, value: masked });
      }
    } else if (typeof field === 'object' && field !== null) {
      scrub(field, mask, seen, depth + 1);
    }
  }
}

/**
 * A copy of a client library's error keeping only its name, its message and the listed
 * scalar fields (a `code`, a `statusCode`): libraries keep what they sent on their errors
 * (a Redis command's arguments, an HTTP request body), which no log may print.
 *
 * @example
 * ```ts
 * const cause = bareError(ioredisError, ['code']); // no `command.args`
 * ```
 */
export function bareError(error: unknown, keep: readonly string[], message?: string): Error {
  const copy = new Error(message ?? (error instanceof Error ? error.message : String(error)));
  copy.name = error instanceof Error ? error.name : 'Error';
  for (const field of keep) {
    const value = (error as Record<string, unknown> | null)?.[field];
    if (typeof value === 'string' || typeof value === 'number') {
      Object.assign(copy, { [field]: value });
    }
  }
  return copy;
}
