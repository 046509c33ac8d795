export type { Agent, AgentInput, AgentOutput } from './agent.js';
export { type AgentAsToolOptions, agentAsTool } from './agent-as-tool.js';
export { BaseAgent } from './base-agent.js';
export { callAgent } from './call-agent.js';
export { ChatAgent, type ChatAgentOptions } from './chat-agent.js';
export { resilientTool, withResilience } from './with-resilience.js';
export {
  DEFAULT_WORKING_MEMORY_PROMPT,
  WorkingMemoryAgent,
  type WorkingMemoryAgentOptions,
  type WorkingMemoryResult,
} from './working-memory-agent.js';
