import type { Agent } from '../agents/agent.js';

/**
 * What an agent handles, as a prompt shows it: your description when you gave one, else the
 * first 100 characters of its system prompt (as the seed does), else its name.
 */
export function describeAgent(
  name: string,
  agent: Agent<unknown>,
  descriptions: Partial<Record<string, string>> | undefined,
): string {
  const given = descriptions && Object.hasOwn(descriptions, name) ? descriptions[name] : undefined;
  if (given !== undefined) return given;
  const prompt = (agent as { systemPrompt?: unknown }).systemPrompt;
  return typeof prompt === 'string' ? prompt.slice(0, 100) : name;
}
