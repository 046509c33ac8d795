import { InvalidInputError } from '../errors/invalid-input-error.js';
import { assertId } from '../utils/ids.js';
import type { AgentInput } from './agent.js';

/** The conversation id an agent input carries in `metadata.conversationId`. */
export function conversationIdOf(input: AgentInput, required: true): string;
export function conversationIdOf(input: AgentInput, required?: boolean): string | undefined;
export function conversationIdOf(input: AgentInput, required = false): string | undefined {
  const id = input.metadata?.conversationId;
  if (id === undefined && !required) return undefined;
  if (typeof id !== 'string' || id === '') {
    throw new InvalidInputError('metadata.conversationId', 'a conversation id string is required');
  }
  return id;
}

/**
 * The user an agent input belongs to (`metadata.userId`), checked with the memory id rule;
 * agents with memory keep each user's memory apart by it.
 */
export function userIdOf(input: AgentInput): string | undefined {
  const id = input.metadata?.userId;
  if (id === undefined) return undefined;
  assertId(id, 'metadata.userId');
  return id;
}
