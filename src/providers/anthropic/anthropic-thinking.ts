import type {
  RedactedThinkingBlockParam,
  ThinkingBlockParam,
} from '@anthropic-ai/sdk/resources/messages';
import type { ToolCall } from '../../llm/message.js';

/** A thinking block as the API returned it, to be sent back unchanged. */
export type ThinkingBlock = ThinkingBlockParam | RedactedThinkingBlockParam;

const KEY = 'anthropicThinking';

/**
 * With extended thinking, the API requires the thinking blocks (with their signatures) that
 * preceded a `tool_use` block to come back unchanged in the follow-up request. They travel on
 * the tool call as `providerMetadata.anthropicThinking`.
 */
export function withThinking(call: ToolCall, blocks: ThinkingBlock[]): ToolCall {
  if (blocks.length === 0) return call;
  return { ...call, providerMetadata: { ...call.providerMetadata, [KEY]: blocks } };
}

/** The thinking blocks that preceded `call`, if any. */
export function thinkingBefore(call: ToolCall): ThinkingBlock[] {
  const blocks = call.providerMetadata?.[KEY];
  return Array.isArray(blocks) ? (blocks as ThinkingBlock[]) : [];
}
