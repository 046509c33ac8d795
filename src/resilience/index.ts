export { type RetryEvent, type RetryOptions, retry, retryDelay } from './retry.js';
