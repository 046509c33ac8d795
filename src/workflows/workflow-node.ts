import type { Agent } from '../agents/agent.js';
import type { LLMClient } from '../llm/llm-client.js';
import type { LLMInput } from '../llm/llm-input.js';
import type { LLMResult } from '../llm/llm-result.js';
import type { LLMStreamEvent } from '../llm/stream-event.js';
import type { RetryOptions } from '../utils/retry.js';
import type { StateUpdate, WorkflowState } from './workflow-state.js';

/** What a node receives besides the state and the run's input. */
export interface NodeContext {
  /** Aborted when the run is cancelled or the node's `timeoutMs` passes. */
  signal: AbortSignal;
  runId: string;
  /** The node's name. */
  node: string;
  /** The 1-based number of this node execution in the run. */
  step: number;
  /**
   * 1 the first time this node runs at this point of the run; more when it runs again: a
   * retry of its retry policy, a resume after a crash, a stop or an interrupt, or a queue job
   * taken again after its worker died. A node with side effects checks it (or passes
   * `idempotencyKey` on) to do them once.
   */
  attempt: number;
  /**
   * Stable for this run, step and node, whichever attempt or worker runs it:
   * `<runId>:<step>:<node>`. Pass it to external systems that deduplicate (payments, email).
   */
  readonly idempotencyKey: string;
  /**
   * Pauses the run for a human: the first time, the run ends as `interrupted` with `payload`
   * persisted; when the run is resumed with `{ value }`, the node runs again and `interrupt`
   * returns that value.
   */
  interrupt<T = unknown>(payload: unknown): T;
  /** Sends a custom event to the run's stream (`{ type: 'custom', name, data }`). */
  emit(name: string, data?: unknown): void;
  /**
   * Forwards a model's stream event to the run's stream as a `message` event tagged with this
   * node and step (a no-op when nobody streams the run).
   */
  forward(event: LLMStreamEvent<unknown>): void;
  /**
   * Passes a model stream through, forwarding each event as it comes, so a chat UI shows a
   * workflow's tokens live: `for await (const e of ctx.pipe(client.stream(input))) ...`.
   */
  pipe<T>(events: AsyncIterable<LLMStreamEvent<T>>): AsyncIterable<LLMStreamEvent<T>>;
  /**
   * `client.chat(input)` with the node's signal, durable across tool approvals: a call that
   * stops for approval (`needsApproval` tools) pauses the run as an interrupt whose payload is
   * `{ type: 'tool-approval', pendingApprovals, state }`; `resume(runId, { approvals })` —
   * from any process — continues the call where it stopped, without asking the model again.
   * Every call of arshai's clients in a node behaves so (through agents, `AgentNode` and the
   * patterns too); `ctx.chat` also serves clients of your own that return a pending result.
   * On resume the node runs again: calls made before the waiting one are made again.
   */
  chat<T = string>(client: Pick<LLMClient, 'chat'>, input: LLMInput<T>): Promise<LLMResult<T>>;
}

/** A node as a function. */
export type NodeFunction<S extends object> = (
  state: Readonly<WorkflowState<S>>,
  input: unknown,
  context: NodeContext,
) => StateUpdate<S> | undefined | Promise<StateUpdate<S> | undefined>;

/** A node as an object. */
export interface NodeObject<S extends object> {
  run: NodeFunction<S>;
}

/** A workflow node: a function or an object with `run(state, input, ctx)`. */
export type WorkflowNode<S extends object> = NodeFunction<S> | NodeObject<S>;

/** Per-node policies. */
export interface NodeOptions {
  /** Time limit of one execution: the node's signal aborts, the node fails. */
  timeoutMs?: number | undefined;
  /** Retries of a failing execution (retryable typed errors by default). */
  retry?: RetryOptions;
  /** The node to go to when this one fails (the error is recorded in `state.errors`). */
  onError?: string;
}

/** Options of a subworkflow node: `addNode(name, compiledWorkflow, options)`. */
export interface SubworkflowOptions<S extends object, C extends object> extends NodeOptions {
  /** The child's input state, from the parent's. @default `{}` (the child's `input` is the parent's) */
  input?: (state: Readonly<WorkflowState<S>>) => Partial<C>;
  /**
   * The parent's update, from the child's final state.
   * @default `{ agentData: { [node]: <the child's state without its engine bookkeeping> } }`
   */
  output?: (child: Readonly<WorkflowState<C>>, state: Readonly<WorkflowState<S>>) => StateUpdate<S>;
}

/** Options of {@link AgentNode}. */
export interface AgentNodeOptions<S extends object, O> {
  /** Where the agent's message comes from. @default the run's input (as text) */
  message?: (state: Readonly<WorkflowState<S>>, input: unknown) => string;
  /** Where the agent's output goes. @default `{ agentData: { [node]: output } }` */
  output?: (output: O, state: Readonly<WorkflowState<S>>, node: string) => NoInfer<StateUpdate<S>>;
  /** Extra metadata for the agent. */
  metadata?: (state: Readonly<WorkflowState<S>>) => Record<string, unknown>;
}

/**
 * A node that runs any agent: its message comes from the state or input, its output goes into
 * the state (by default `agentData[node]`), and the run's signal reaches it.
 *
 * @example
 * ```ts
 * graph.addNode('triage', new AgentNode(triageAgent, {
 *   message: (state) => String(state.input),
 *   output: (decision) => ({ agentData: { route: decision } }),
 * }));
 * ```
 */
export class AgentNode<S extends object = object, O = unknown> implements NodeObject<S> {
  readonly agent: Agent<O>;
  readonly #options: AgentNodeOptions<S, O>;

  constructor(agent: Agent<O>, options: AgentNodeOptions<S, O> = {}) {
    this.agent = agent;
    this.#options = options;
  }

  run = async (
    state: Readonly<WorkflowState<S>>,
    input: unknown,
    context: NodeContext,
  ): Promise<StateUpdate<S>> => {
    const message = this.#options.message
      ? this.#options.message(state, input)
      : typeof input === 'string'
        ? input
        : JSON.stringify(input ?? '');
    const output = await this.agent.process({
      message,
      metadata: { runId: context.runId, node: context.node, ...this.#options.metadata?.(state) },
      signal: context.signal,
    });
    return this.#options.output
      ? this.#options.output(output, state, context.node)
      : ({ agentData: { [context.node]: output } } as StateUpdate<S>);
  };
}

/** The node's function, whichever form it was given in. */
export function nodeFunction<S extends object>(node: WorkflowNode<S>): NodeFunction<S> {
  return typeof node === 'function' ? node : (state, input, ctx) => node.run(state, input, ctx);
}
