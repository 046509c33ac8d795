export { MockAgent, type MockReply } from './mock-agent.js';
export {
  ScriptedLLMClient,
  type ScriptedLLMClientOptions,
} from './scripted-llm-client.js';
export {
  type RecordedCall,
  type ScriptEntry,
  ScriptedModel,
  type ScriptedToolCall,
  type ScriptStep,
  UnexpectedModelCallError,
} from './scripted-model.js';
