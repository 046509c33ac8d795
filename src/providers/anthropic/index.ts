export { AnthropicAdapter } from './anthropic-adapter.js';
export { AnthropicClient, type AnthropicClientConfig } from './anthropic-client.js';
