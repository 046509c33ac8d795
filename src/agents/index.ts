export type { Agent, AgentInput } from './agent.js';
export { type AgentAsToolOptions, agentAsTool } from './agent-as-tool.js';
export { BaseAgent } from './base-agent.js';
