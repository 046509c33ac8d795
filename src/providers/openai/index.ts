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
export {
  OpenAIResponsesAdapter,
  type OpenAIResponsesAdapterOptions,
} from './responses-adapter.js';
export {
  OpenAIResponsesClient,
  type OpenAIResponsesClientConfig,
  type ResponsesOptions,
} from './responses-client.js';
