export type { StructuredOutputMode } from '../shared/schema-instructions.js';
export { AnthropicAdapter } from './anthropic-adapter.js';
export { AnthropicClient, type AnthropicClientConfig } from './anthropic-client.js';
