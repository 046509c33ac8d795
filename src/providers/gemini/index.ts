export { GeminiAdapter } from './gemini-adapter.js';
export { GeminiClient, type GeminiClientConfig } from './gemini-client.js';
