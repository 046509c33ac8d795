import { InvalidInputError } from '../errors/invalid-input-error.js';
import { checkCount, checkTimeoutMs } from '../utils/option-checks.js';
import { checkBudget } from './budget.js';
import { checkGuardrails } from './guardrails.js';
import { checkSchema } from './json-schema.js';
import type { LLMInput } from './llm-input.js';
import type { ModelAdapter } from './model-adapter.js';
import { assertToolNames, type Tool } from './tool.js';

/** Checks a call's input before anything is sent; every problem names its field. */
export function validateInput<T>(input: LLMInput<T>, maxTurns: number): void {
  if (typeof input !== 'object' || input === null) {
    throw new InvalidInputError('input', 'expected an LLMInput object');
  }
  if (typeof input.systemPrompt !== 'string') {
    throw new InvalidInputError('systemPrompt', 'must be a string');
  }
  if (typeof input.userMessage !== 'string') {
    throw new InvalidInputError('userMessage', 'must be a string');
  }
  checkCount(maxTurns, 'maxTurns');
  checkCount(input.toolConcurrency, 'toolConcurrency');
  checkGuardrails(input.inputGuardrails, 'inputGuardrails');
  checkGuardrails(input.outputGuardrails, 'outputGuardrails');
  checkTimeoutMs(input.timeoutMs, 'timeoutMs');
  checkBudget(input.budget);
  if (input.structureType !== undefined) checkSchema(input.structureType, 'structureType', false);
  if (input.stopWhen && input.structureType)
    throw new InvalidInputError('stopWhen', 'cannot end a call that must give a structured answer');
  if (input.messages !== undefined) checkMessages(input.messages);
  if (input.regularFunctions) assertToolNames(input.regularFunctions, 'regularFunctions');
  if (input.tools) {
    assertToolNames(input.tools, 'tools');
    for (const name of Object.keys(input.tools)) {
      if (input.regularFunctions && Object.hasOwn(input.regularFunctions, name)) {
        throw new InvalidInputError(`tools.${name}`, 'is also in regularFunctions: name it once');
      }
    }
  }
  if (input.backgroundTasks) {
    assertToolNames(input.backgroundTasks, 'backgroundTasks');
    for (const name of Object.keys(input.backgroundTasks)) {
      if (Object.hasOwn(regularTools(input), name)) {
        throw new InvalidInputError(
          `backgroundTasks.${name}`,
          'a name cannot be both a regular function and a background task',
        );
      }
    }
  }
}

/**
 * Built-in tools go only to a provider that runs tools of its own; each needs a `type`.
 * Never dropped silently.
 */
export function checkBuiltinTools(
  tools: unknown,
  adapter: Pick<ModelAdapter, 'provider' | 'builtinTools'>,
): void {
  if (tools === undefined) return;
  if (!Array.isArray(tools)) throw new InvalidInputError('builtinTools', 'must be an array');
  if (tools.length > 0 && !adapter.builtinTools) {
    throw new InvalidInputError(
      'builtinTools',
      `${adapter.provider} through this client has no built-in tools (OpenAIResponsesClient has)`,
    );
  }
  tools.forEach((t: unknown, i) => {
    if (typeof (t as { type?: unknown } | null)?.type !== 'string')
      throw new InvalidInputError(
        `builtinTools[${i}].type`,
        'must be a string such as "web_search"',
      );
  });
}

const ROLES = new Set(['user', 'assistant', 'tool']);

/** Prior messages: an array of user, assistant and tool messages (never silently dropped). */
function checkMessages(messages: unknown): void {
  if (!Array.isArray(messages)) {
    throw new InvalidInputError('messages', 'must be an array of messages');
  }
  messages.forEach((message: unknown, i) => {
    const role = (message as { role?: unknown } | null)?.role;
    if (role === 'system') {
      throw new InvalidInputError(
        `messages[${i}].role`,
        '"system" is not a message role here: put system instructions in systemPrompt',
      );
    }
    if (typeof role !== 'string' || !ROLES.has(role)) {
      throw new InvalidInputError(`messages[${i}].role`, 'must be "user", "assistant" or "tool"');
    }
  });
}

/** `regularFunctions` and `tools` together (their names were checked apart). */
export function regularTools<T>(input: LLMInput<T>): Record<string, Tool> {
  if (!input.tools) return input.regularFunctions ?? {};
  return input.regularFunctions ? { ...input.regularFunctions, ...input.tools } : input.tools;
}
