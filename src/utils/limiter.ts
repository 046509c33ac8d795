import { abortErrorFrom } from './abort.js';
import { checkCount } from './option-checks.js';

/**
 * Runs at most `limit` tasks at once; the rest wait in order. A task waiting for its turn
 * with a `signal` stops waiting (rejecting with the typed abort error) when it aborts.
 */
export type Limiter = <T>(task: () => Promise<T>, signal?: AbortSignal) => Promise<T>;

const unlimited: Limiter = (task, signal) =>
  signal?.aborted ? Promise.reject(abortErrorFrom(signal)) : task();

/**
 * A concurrency limiter (semaphore). `Infinity` or `undefined` runs everything at once.
 *
 * @example
 * ```ts
 * const limit = createLimiter(2);
 * await Promise.all(urls.map((u) => limit(() => fetch(u))));
 * ```
 */
export function createLimiter(limit: number | undefined, field = 'concurrency'): Limiter {
  if (limit === undefined || limit === Number.POSITIVE_INFINITY) return unlimited;
  checkCount(limit, field);
  let active = 0;
  const waiting: Array<() => void> = [];
  // A finished task hands its slot straight to the next waiter (no newcomer can slip in).
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else active--;
  };
  const turn = (signal: AbortSignal | undefined) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(abortErrorFrom(signal));
      const onAbort = () => {
        const at = waiting.indexOf(go);
        if (at >= 0) waiting.splice(at, 1);
        reject(abortErrorFrom(signal as AbortSignal));
      };
      const go = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      waiting.push(go);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  return async (task, signal) => {
    if (signal?.aborted) throw abortErrorFrom(signal);
    if (active >= limit) await turn(signal);
    else active++;
    try {
      return await task();
    } finally {
      release();
    }
  };
}
