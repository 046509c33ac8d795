export { AbortError, TimeoutError } from './abort-error.js';
export { ArshaiError } from './arshai-error.js';
export { type GuardrailKind, GuardrailTripwireError } from './guardrail-tripwire-error.js';
export { InvalidInputError } from './invalid-input-error.js';
export { MissingPackageError } from './missing-package-error.js';
export { ProviderError, type ProviderErrorOptions } from './provider-error.js';
export { StoreError, type StoreErrorOptions } from './store-error.js';
