import type { AgentInput } from '../agents/agent.js';
import { BaseAgent } from '../agents/base-agent.js';
import { ChatAgent } from '../agents/chat-agent.js';
import type { LLMClient } from '../llm/llm-client.js';
import type { Tool } from '../llm/tool.js';
import type { MemoryManager } from '../memory/memory-types.js';
import { DynamicRouter } from '../orchestration/dynamic-router.js';
import { HierarchicalOrchestrator } from '../orchestration/hierarchical-orchestrator.js';
import { AgentFailure, ParallelOrchestrator } from '../orchestration/parallel-orchestrator.js';
import type { CompiledWorkflow } from '../workflows/compiled-workflow.js';
import { WorkflowGraph } from '../workflows/workflow-graph.js';
import { AgentNode } from '../workflows/workflow-node.js';
import { END } from '../workflows/workflow-state.js';
import { DESCRIPTIONS, PROMPTS } from './prompts.js';
import { assessRefund, findOrderId, type SupportData } from './support-data.js';
import { lookupOrderTool, refundPolicyTool } from './support-tools.js';

/** The showcase workflow's own state fields. */
export interface SupportState {
  customerId: string;
  message: string;
  interaction?: number;
  previously?: string;
  /** Orders refunded on earlier visits (from the customer's profile). */
  refundedBefore?: string[];
  route?: { agent: string; source: string; reason?: string };
  analysis?: Record<string, unknown>;
  findings?: string;
  refund?: { orderId?: string; amount: number; eligible: boolean; reason: string };
  approval?: 'approved' | 'rejected' | 'automatic' | 'not-needed';
  reply?: string;
}

/** What the support system is built from: all passed in. */
export interface SupportDeps {
  llm: LLMClient;
  memory: MemoryManager;
  data: SupportData;
  /** "Today", for the refund window. */
  now: () => Date;
  /**
   * Tools of a mounted MCP server (`arshai demo --mcp`): the team gets a specialist for them.
   * @default none
   */
  mcpTools?: Record<string, Tool>;
}

/** The customer's profile kept in memory across runs. */
interface Profile {
  interactions: number;
  lastMessage: string;
  /** Orders already refunded: never refunded twice. */
  refunded?: string[];
}

/** True when the customer asks for their money back (not only where an order is). */
function asksForRefund(message: string): boolean {
  return /\b(refund|money back|reimburse|return it|send it back)/i.test(message);
}

/** A model's JSON array answer (keywords) as an array; other text as it is. */
function listOrText(text: unknown): unknown {
  if (typeof text !== 'string' || !text.trim().startsWith('[')) return text;
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) ? parsed : text;
  } catch {
    return text;
  }
}

/** Writes the final reply from the state the workflow gathered. */
class ReplyAgent extends BaseAgent<string> {
  async process(input: AgentInput): Promise<string> {
    const { llmResponse } = await this.llmClient.chat({
      systemPrompt: this.systemPrompt,
      userMessage: input.message,
      ...(input.signal ? { signal: input.signal } : {}),
    });
    return llmResponse;
  }
}

/** The name checkpoints of the showcase carry. */
export const SUPPORT_WORKFLOW = 'customer-support';

/**
 * The showcase: a customer-support system built only from the public API — dynamic routing,
 * parallel analysis, a hierarchical team with real tools, memory across runs, and a
 * human approval step inside a durable workflow.
 */
export function buildSupportWorkflow(deps: SupportDeps): CompiledWorkflow<SupportState> {
  const { llm, memory, data } = deps;
  const router = new DynamicRouter(
    llm,
    {
      orders: new ChatAgent(llm, PROMPTS.orders),
      refunds: new ChatAgent(llm, PROMPTS.policy),
      general: new ChatAgent(llm, PROMPTS.reply),
    },
    { systemPrompt: PROMPTS.router, descriptions: DESCRIPTIONS, defaultAgent: 'general' },
  );
  const analysis = new ParallelOrchestrator({
    sentiment: new ChatAgent(llm, PROMPTS.sentiment),
    summary: new ChatAgent(llm, PROMPTS.summary),
    keywords: new ChatAgent(llm, PROMPTS.keywords),
  });
  const team = new HierarchicalOrchestrator(
    llm,
    {
      orders: new ChatAgent(llm, PROMPTS.orders, {
        tools: { lookup_order: lookupOrderTool(data) },
      }),
      policy: new ChatAgent(llm, PROMPTS.policy, {
        tools: { refund_policy: refundPolicyTool(data) },
      }),
      ...(deps.mcpTools ? { mcp: new ChatAgent(llm, PROMPTS.mcp, { tools: deps.mcpTools }) } : {}),
    },
    {
      systemPrompt: PROMPTS.master,
      descriptions: {
        orders: DESCRIPTIONS.orders,
        policy: DESCRIPTIONS.refunds,
        ...(deps.mcpTools ? { mcp: `Tools: ${Object.keys(deps.mcpTools).join(', ')}` } : {}),
      },
    },
  );
  const replyAgent = new ReplyAgent(llm, PROMPTS.reply);
  const profileKey = (customerId: string) => ({
    conversationId: customerId,
    type: 'long-term' as const,
    id: 'support-profile',
  });

  return (
    new WorkflowGraph<SupportState>()
      .addNode('recall', async (state, _input, ctx) => {
        const entries = await memory.retrieve<Profile>(
          { conversationId: state.customerId, type: 'long-term' },
          { signal: ctx.signal },
        );
        const profile = entries.find((e) => e.id === 'support-profile')?.content;
        return {
          interaction: (profile?.interactions ?? 0) + 1,
          previously: profile?.lastMessage ?? 'nothing',
          refundedBefore: profile?.refunded ?? [],
        };
      })
      .addNode('triage', async (state, _input, ctx) => {
        const decision = await router.route(
          state.message,
          `Customer ${state.customerId}, visit ${state.interaction}`,
          { signal: ctx.signal },
        );
        return {
          route: {
            agent: decision.agent,
            source: decision.source,
            // Why the default agent answered: what the model chose instead.
            ...(decision.source === 'fallback'
              ? {
                  reason:
                    decision.rawChoice !== undefined
                      ? `the model's choice "${decision.rawChoice.slice(0, 60)}" names no agent`
                      : 'the model named no agent',
                }
              : {}),
          },
        };
      })
      .addNode('analyze', async (state, _input, ctx) => {
        const results = await analysis.execute(state.message, {
          signal: ctx.signal,
          timeoutMs: 60_000,
        });
        // A failed model call is a failed step: never a "failed: …" text inside a done one.
        const failed = Object.values(results).find((v) => AgentFailure.is(v));
        if (failed) throw failed.error;
        return { analysis: { ...results, keywords: listOrText(results.keywords) } };
      })
      // The specialist team is an agent too: the node runs it as it is.
      .addNode(
        'investigate',
        new AgentNode<SupportState, string>(team, {
          message: (state) => state.message,
          output: (findings) => ({ findings }),
        }),
      )
      .addNode('assess', (state) => {
        const orderId = findOrderId(state.message);
        if (!asksForRefund(state.message))
          return {
            refund: { orderId, amount: 0, eligible: false, reason: 'no refund was asked for' },
          };
        if (orderId && state.refundedBefore?.includes(orderId))
          return {
            refund: {
              orderId,
              amount: 0,
              eligible: false,
              reason: `order ${orderId} was refunded on an earlier visit`,
            },
          };
        return { refund: assessRefund(data, orderId, deps.now()) };
      })
      .addNode('approval', (state, _input, ctx) => {
        const answer = ctx.interrupt<string>({
          question: `Approve a refund of $${state.refund?.amount.toFixed(2)} for order ${state.refund?.orderId}?`,
          orderId: state.refund?.orderId,
          amount: state.refund?.amount,
          reason: state.refund?.reason,
        });
        return { approval: answer === 'approve' ? 'approved' : 'rejected' };
      })
      .addNode('reply', async (state, _input, ctx) => {
        const customer = data.customers[state.customerId];
        const refund = state.refund;
        const approval = state.approval ?? (refund?.eligible ? 'automatic' : 'not-needed');
        const decision = !asksForRefund(state.message)
          ? (state.findings?.split(/(?<=\.)\s/)[0] ??
            'A colleague will look into your request today.')
          : refund?.eligible && approval !== 'rejected'
            ? `We have refunded $${refund.amount.toFixed(2)} for order ${refund.orderId} (${refund.reason}).`
            : refund?.eligible
              ? 'A reviewer could not approve the refund right away; a colleague will contact you today.'
              : `No refund was issued: ${refund?.reason ?? 'nothing to refund'}.`;
        const message = [
          `Customer name: ${customer?.name ?? state.customerId}`,
          `Interaction: ${state.interaction}`,
          `Previously: ${state.previously}`,
          `Message: ${state.message}`,
          `Findings: ${state.findings ?? 'none'}`,
          `Decision: ${decision}`,
        ].join('\n');
        return { reply: await replyAgent.process({ message, signal: ctx.signal }), approval };
      })
      .addNode('remember', async (state, _input, ctx) => {
        await memory.update<Profile>(
          profileKey(state.customerId),
          (current) => ({
            content: {
              interactions: (current?.content.interactions ?? 0) + 1,
              lastMessage: state.message,
              // A refund made now is remembered, so the next visit does not make it again.
              refunded: [
                ...(current?.content.refunded ?? []),
                ...(state.refund?.eligible &&
                state.refund.orderId &&
                state.approval !== 'rejected' &&
                !(current?.content.refunded ?? []).includes(state.refund.orderId)
                  ? [state.refund.orderId]
                  : []),
              ],
            },
          }),
          { signal: ctx.signal },
        );
        return {};
      })
      .addEdge('recall', 'triage')
      .addConditionalEdges(
        'triage',
        (state) => (state.route?.agent === 'general' ? ['analyze'] : ['analyze', 'investigate']),
        ['analyze', 'investigate'],
      )
      .addEdge('analyze', 'assess')
      .addEdge('investigate', 'assess')
      .addConditionalEdges(
        'assess',
        (state) =>
          state.refund?.eligible && state.refund.amount > data.refundPolicy.autoApproveUpTo
            ? 'needs approval'
            : 'automatic',
        { 'needs approval': 'approval', automatic: 'reply' },
      )
      .addEdge('approval', 'reply')
      .addEdge('reply', 'remember')
      .addEdge('remember', END)
      .setEntryPoint('recall')
      .compile({ name: SUPPORT_WORKFLOW })
  );
}
