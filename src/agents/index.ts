export type { Agent, AgentInput } from './agent.js';
export { BaseAgent } from './base-agent.js';
