import { InvalidInputError } from '../errors/invalid-input-error.js';

/** Runs at most `limit` tasks at once; the rest wait in order. */
export type Limiter = <T>(task: () => Promise<T>) => Promise<T>;

const unlimited: Limiter = (task) => task();

/**
 * A concurrency limiter (semaphore). `Infinity` or `undefined` runs everything at once.
 *
 * @example
 * ```ts
 * const limit = createLimiter(2);
 * await Promise.all(urls.map((u) => limit(() => fetch(u))));
 * ```
 */
export function createLimiter(limit: number | undefined): Limiter {
  if (limit === undefined || limit === Number.POSITIVE_INFINITY) return unlimited;
  if (!Number.isInteger(limit) || limit < 1) {
    throw new InvalidInputError('concurrency', 'must be a positive integer');
  }
  let active = 0;
  const waiting: Array<() => void> = [];
  const release = () => {
    active--;
    waiting.shift()?.();
  };
  return async (task) => {
    if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      return await task();
    } finally {
      release();
    }
  };
}
