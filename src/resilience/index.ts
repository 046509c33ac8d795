export {
  isRetryableError,
  type RetryEvent,
  type RetryOptions,
  retry,
  retryDelay,
} from '../utils/retry.js';
export {
  type BulkheadOptions,
  bulkheadPolicy,
  retryPolicy,
  timeoutPolicy,
  withFallback,
} from './basic-policies.js';
export {
  CircuitBreaker,
  type CircuitBreakerOptions,
  type CircuitState,
} from './circuit-breaker.js';
export { compose, type Policy } from './policy.js';
export {
  AllAttemptsFailedError,
  BulkheadRejectedError,
  CircuitOpenError,
} from './resilience-errors.js';
