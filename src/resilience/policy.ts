import { neverAborts } from '../utils/abort.js';

/**
 * A resilience policy: runs an operation with some protection (retry, timeout, circuit
 * breaker, bulkhead...). The operation receives the signal it must honour.
 *
 * @example
 * ```ts
 * const policy: Policy = compose(retryPolicy({ maxRetries: 2 }), timeoutPolicy(5_000));
 * const text = await policy.execute((signal) => fetchText(url, signal));
 * ```
 */
export interface Policy {
  execute<T>(operation: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T>;
}

/** The signal to hand an operation when the caller gave none (a fresh never-aborting one). */
export function signalOrNever(signal: AbortSignal | undefined): AbortSignal {
  return signal ?? neverAborts();
}

/**
 * Chains policies, outermost first: `compose(retry, breaker, timeout)` retries calls that go
 * through the breaker, each limited by the timeout.
 */
export function compose(...policies: Policy[]): Policy {
  return {
    execute<T>(operation: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T> {
      const run = policies.reduceRight<(s: AbortSignal) => Promise<T>>(
        (inner, policy) => (s) => policy.execute(inner, s),
        operation,
      );
      return run(signalOrNever(signal));
    },
  };
}
