export { AiSdkAdapter, type AiSdkLanguageModel } from './ai-sdk-adapter.js';
export { AiSdkClient, type AiSdkClientConfig } from './ai-sdk-client.js';
