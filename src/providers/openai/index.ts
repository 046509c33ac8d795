export type { StructuredOutputMode } from '../shared/schema-instructions.js';
export { type OpenAIAdapterOptions, OpenAIChatAdapter } from './openai-adapter.js';
export {
  AzureOpenAIClient,
  type AzureOpenAIClientConfig,
  OpenAIClient,
  type OpenAIClientConfig,
  OpenRouterClient,
  type OpenRouterClientConfig,
} from './openai-client.js';
