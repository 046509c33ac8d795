import type { Agent, AgentInput } from '../agents/agent.js';
import { sleep } from '../utils/abort.js';

/** What a mock agent answers: a value, an error to throw, or a function of the input. */
export type MockReply<O> = { output: O; delayMs?: number } | { error: Error; delayMs?: number };

/**
 * An agent for tests: replies from a list (or a function), records every input, honours
 * the input's abort signal during `delayMs`.
 *
 * @example
 * ```ts
 * const agent = new MockAgent<string>(['first', 'second']);
 * await agent.process({ message: 'hi' }); // 'first'
 * agent.inputs[0]?.message; // 'hi'
 * ```
 */
export class MockAgent<O = string> implements Agent<O> {
  /** Every input received, in order. */
  readonly inputs: AgentInput[] = [];
  readonly #replies: Array<O | MockReply<O>> | ((input: AgentInput) => O | Promise<O>);
  #next = 0;

  constructor(replies: Array<O | MockReply<O>> | ((input: AgentInput) => O | Promise<O>)) {
    this.#replies = replies;
  }

  /** Number of calls so far. */
  get callCount(): number {
    return this.inputs.length;
  }

  async process(input: AgentInput): Promise<O> {
    this.inputs.push(input);
    if (typeof this.#replies === 'function') return this.#replies(input);
    const reply = this.#replies[Math.min(this.#next++, this.#replies.length - 1)];
    if (reply === undefined) throw new Error('MockAgent has no replies');
    if (isReply(reply)) {
      if (reply.delayMs) await sleep(reply.delayMs, input.signal);
      if ('error' in reply) throw asError(reply.error);
      return reply.output;
    }
    return reply;
  }
}

function isReply<O>(value: O | MockReply<O>): value is MockReply<O> {
  return (
    typeof value === 'object' &&
    value !== null &&
    ('output' in value || 'error' in value) &&
    Object.keys(value).every((k) => k === 'output' || k === 'error' || k === 'delayMs')
  );
}

/** Scripts written in plain JavaScript may give a string: it is thrown as an `Error`. */
function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
