import { z } from 'zod/v4';
import type { Agent, AgentInput } from '../agents/agent.js';
import { callAgent } from '../agents/call-agent.js';
import { InvalidInputError } from '../errors/invalid-input-error.js';
import type { LLMClient } from '../llm/llm-client.js';
import { StructuredOutputError } from '../llm/structured-output-error.js';
import { raceAbort, throwIfAborted } from '../utils/abort.js';
import { describeAgent } from './agent-description.js';

/** Why the router picked the agent it did; `agent` is one of the router's agent names. */
export interface RouteDecision<N extends string = string> {
  /** The agent that handled the message. */
  agent: N;
  /** `llm`: the model chose it; `fallback`: the default agent, because the model's choice named no agent. */
  source: 'llm' | 'fallback';
  /** What the model answered, when it answered. */
  rawChoice?: string;
  /** Why the choice was refused (a `StructuredOutputError`), when the fallback answered. */
  error?: Error;
}

/** Options of {@link DynamicRouter}. */
export interface DynamicRouterOptions<N extends string = string> {
  /** The agent used when the model's choice names no agent. @default the first agent */
  defaultAgent?: N;
  /** What each agent handles, shown to the model. @default the agent's system prompt (first 100 characters) */
  descriptions?: Partial<Record<N, string>>;
  /** @default 'You are a routing expert. Choose the most appropriate agent.' */
  systemPrompt?: string;
  /** Called with every routing decision. */
  onDecision?: (decision: RouteDecision<N>) => void;
}

/** Lowercase, without quotes, spaces and punctuation: `"Technical."` → `technical`. */
export function normalizeChoice(value: unknown): unknown {
  return typeof value === 'string' ? value.toLowerCase().replace(/[^a-z0-9_-]/g, '') : value;
}

/**
 * Pattern 3, LLM-driven routing: the model picks the agent with structured output constrained
 * to the agent names (tolerant of case, quotes and punctuation); `context` reaches the routing
 * prompt; when the model's choice names no agent the default agent answers and the decision
 * records why (in `run()`'s result, `route()` and `onDecision`). Failures of the routing call itself (a 401, an outage after retries) are not a
 * bad choice: they propagate. When `signal` fires, `execute` rejects at once.
 *
 * @example
 * ```ts
 * const router = new DynamicRouter(llm, { technical, sales, support });
 * const answer = await router.execute('How do I install this software?');
 * ```
 */
export class DynamicRouter<O = unknown, N extends string = string> implements Agent<O> {
  readonly llmClient: LLMClient;
  readonly agents: Record<N, Agent<O>>;
  readonly #options: DynamicRouterOptions<N>;
  readonly #byKey: Map<string, N>;
  readonly #schema;

  constructor(
    llmClient: LLMClient,
    agents: Record<N, Agent<O>>,
    options: DynamicRouterOptions<NoInfer<N>> = {},
  ) {
    const names = Object.keys(agents) as N[];
    if (names.length === 0) throw new InvalidInputError('agents', 'at least one agent is required');
    if (options.defaultAgent !== undefined && !names.includes(options.defaultAgent)) {
      throw new InvalidInputError('defaultAgent', `must be one of ${names.join(', ')}`);
    }
    this.llmClient = llmClient;
    this.agents = agents;
    this.#options = options;
    this.#byKey = new Map(names.map((n): [string, N] => [normalizeChoice(n) as string, n]));
    const keys = [...this.#byKey.keys()] as [string, ...string[]];
    this.#schema = z.object({
      agent: z.preprocess(normalizeChoice, z.enum(keys)).describe('The name of the agent to use'),
    });
  }

  /** Routes and runs the chosen agent; returns its output. */
  async execute(
    userMessage: string,
    context?: string,
    options: { signal?: AbortSignal } = {},
  ): Promise<O> {
    return (await this.run(userMessage, context, options)).output;
  }

  /** Like `execute`, with the decision that chose the agent (per call: safe when concurrent). */
  async run(
    userMessage: string,
    context?: string,
    options: { signal?: AbortSignal } = {},
  ): Promise<{ output: O; decision: RouteDecision<N> }> {
    const decision = await this.route(userMessage, context, options);
    const agent = this.agents[decision.agent] as Agent<O>;
    const output = await callAgent(
      agent,
      {
        message: userMessage,
        metadata: { route: decision, ...(context ? { context } : {}) },
        ...(options.signal ? { signal: options.signal } : {}),
      },
      { name: decision.agent, attributes: { 'arshai.route.source': decision.source } },
    );
    return { output, decision };
  }

  /** As an agent: `metadata.context` (a string) reaches the routing prompt. */
  process(input: AgentInput): Promise<O> {
    const context = input.metadata?.context;
    return this.execute(
      input.message,
      typeof context === 'string' ? context : undefined,
      input.signal ? { signal: input.signal } : {},
    );
  }

  /** Asks the model which agent should answer, without running it. */
  async route(
    userMessage: string,
    context?: string,
    options: { signal?: AbortSignal } = {},
  ): Promise<RouteDecision<N>> {
    let decision: RouteDecision<N>;
    try {
      const { llmResponse } = await raceAbort(
        this.llmClient.chat({
          systemPrompt:
            this.#options.systemPrompt ??
            'You are a routing expert. Choose the most appropriate agent.',
          userMessage: this.#prompt(userMessage, context),
          structureType: this.#schema,
          ...(options.signal ? { signal: options.signal } : {}),
        }),
        options.signal,
      );
      decision = {
        agent: this.#byKey.get(llmResponse.agent) as N,
        source: 'llm',
        rawChoice: llmResponse.agent,
      };
    } catch (error) {
      throwIfAborted(options.signal);
      // Only a bad choice falls back; a failed routing call is the caller's to see.
      if (!StructuredOutputError.isInstance(error)) throw error;
      // A model without structured output may still have named an agent in plain text.
      const named = this.#byKey.get(String(normalizeChoice(error.text)));
      decision = named
        ? { agent: named, source: 'llm', rawChoice: error.text }
        : { agent: this.#default(), source: 'fallback', rawChoice: error.text, error };
    }
    this.#options.onDecision?.(decision);
    return decision;
  }

  #default(): N {
    return this.#options.defaultAgent ?? (Object.keys(this.agents)[0] as N);
  }

  #prompt(userMessage: string, context: string | undefined): string {
    const agents: Record<string, Agent<O>> = this.agents;
    const descriptions: Partial<Record<string, string>> | undefined = this.#options.descriptions;
    const lines = Object.entries(agents).map(
      ([name, agent]) => `- ${name}: ${describeAgent(name, agent, descriptions)}`,
    );
    return [
      'Available agents:',
      ...lines,
      ...(context ? ['', `Context: ${context}`] : []),
      '',
      `User message: ${userMessage}`,
      '',
      'Which agent should handle this request? Answer with the agent name.',
    ].join('\n');
  }
}
