export { AbortError, TimeoutError } from './abort-error.js';
export { ArshaiError } from './arshai-error.js';
export { InvalidInputError } from './invalid-input-error.js';
export { MaxTurnsExceededError } from './max-turns-exceeded-error.js';
export { isRetryableStatus, ProviderError, type ProviderErrorOptions } from './provider-error.js';
export { StoreError, type StoreErrorOptions } from './store-error.js';
export { StructuredOutputError } from './structured-output-error.js';
