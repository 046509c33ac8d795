import type { ModelRequest } from '../llm/model-adapter.js';
import { lastUserText, type OfflineRule, toolResults } from './offline-model.js';
import { PROMPTS } from './prompts.js';
import { findOrderId } from './support-data.js';

const is = (prompt: string) => (request: ModelRequest) => request.systemPrompt.startsWith(prompt);

const NEGATIVE = /\b(broken|cracked|angry|refund|damaged|stopped|terrible|late|never)\b/i;
const POSITIVE = /\b(thanks|great|love|happy|amazing)\b/i;
const VOCABULARY = [
  'refund',
  'order',
  'headphones',
  'cable',
  'keyboard',
  'cracked',
  'delivery',
  'broken',
  'charging',
  'return',
];

/** The customer message inside the router's prompt. */
function routedMessage(request: ModelRequest): string {
  const text = lastUserText(request);
  return /User message: (.*)/.exec(text)?.[1] ?? text;
}

/**
 * The rules the showcase's offline model follows: simple, deterministic decisions that drive
 * the real tool loop, tools, orchestrators and checkpoints.
 */
export const OFFLINE_RULES: OfflineRule[] = [
  {
    name: 'router',
    match: is(PROMPTS.router),
    reply: (request) => {
      const message = routedMessage(request);
      const agent = /refund|return|broken|cracked|damaged/i.test(message)
        ? 'refunds'
        : /order|deliver|shipping|track|where/i.test(message)
          ? 'orders'
          : 'general';
      return { text: JSON.stringify({ agent }) };
    },
  },
  {
    name: 'sentiment',
    match: is(PROMPTS.sentiment),
    reply: (request) => {
      const text = lastUserText(request);
      return {
        text: NEGATIVE.test(text) ? 'negative' : POSITIVE.test(text) ? 'positive' : 'neutral',
      };
    },
  },
  {
    name: 'summary',
    match: is(PROMPTS.summary),
    reply: (request) => {
      const first = lastUserText(request).split(/(?<=[.!?])\s/)[0] ?? '';
      return { text: `Customer writes: ${first.slice(0, 120)}` };
    },
  },
  {
    name: 'keywords',
    match: is(PROMPTS.keywords),
    reply: (request) => {
      const text = lastUserText(request).toLowerCase();
      return { text: JSON.stringify(VOCABULARY.filter((w) => text.includes(w)).slice(0, 5)) };
    },
  },
  {
    name: 'master',
    match: is(PROMPTS.master),
    reply: (request) => {
      const results = toolResults(request);
      if (results.length === 0) {
        const orderId = findOrderId(lastUserText(request)) ?? 'unknown';
        const mounted = request.tools.some((t) => t.name === 'use_mcp_specialist');
        return {
          toolCalls: [
            { name: 'use_orders_specialist', args: { query: `Facts about order ${orderId}` } },
            { name: 'use_policy_specialist', args: { query: `Refund rules for order ${orderId}` } },
            ...(mounted
              ? [{ name: 'use_mcp_specialist', args: { query: `order ${orderId}` } }]
              : []),
          ],
        };
      }
      return { text: results.map((r) => r.content).join(' ') };
    },
  },
  {
    name: 'orders specialist',
    match: is(PROMPTS.orders),
    reply: (request) => {
      const [result] = toolResults(request);
      if (!result)
        return {
          toolCalls: [
            {
              name: 'lookup_order',
              args: { orderId: findOrderId(lastUserText(request)) ?? 'A0000' },
            },
          ],
        };
      try {
        const o = JSON.parse(result.content) as Record<string, unknown>;
        return {
          text: `Order ${o.orderId} (${o.item}, $${Number(o.amount).toFixed(2)}) is ${o.status}${o.condition ? `; reported: ${o.condition}` : ''}.`,
        };
      } catch {
        return { text: `I could not find that order (${result.content}).` };
      }
    },
  },
  {
    name: 'policy specialist',
    match: is(PROMPTS.policy),
    reply: (request) => {
      const [result] = toolResults(request);
      if (!result)
        return { toolCalls: [{ name: 'refund_policy', args: { topic: 'damaged item' } }] };
      const policy = JSON.parse(result.content) as { windowDays: number; autoApproveUpTo: number };
      return {
        text: `Damaged items delivered within ${policy.windowDays} days are refunded in full; refunds over $${policy.autoApproveUpTo} need a human approver.`,
      };
    },
  },
  {
    name: 'mcp specialist',
    match: is(PROMPTS.mcp),
    reply: (request) => {
      const [result] = toolResults(request);
      if (result)
        return { text: `From the MCP tool ${result.name}: ${result.content.slice(0, 200)}` };
      const chosen = request.tools.find(readOnlyWithText);
      if (!chosen) return { text: 'The MCP server has no read-only tool to use offline.' };
      const required = (chosen.parameters.required ?? []) as string[];
      const query = lastUserText(request);
      return {
        toolCalls: [
          { name: chosen.name, args: Object.fromEntries(required.map((k) => [k, query])) },
        ],
      };
    },
  },
  {
    name: 'reply',
    match: is(PROMPTS.reply),
    reply: (request) => {
      const text = lastUserText(request);
      const name = /Customer name: (.*)/.exec(text)?.[1] ?? 'there';
      const visits = Number(/Interaction: (\d+)/.exec(text)?.[1] ?? 1);
      const before = /Previously: (.*)/.exec(text)?.[1];
      const decision = /Decision: (.*)/.exec(text)?.[1] ?? '';
      const greeting = visits > 1 ? `Welcome back, ${name} (visit #${visits}).` : `Hello ${name}.`;
      // The earlier message quoted without its own closing stop ("… please".).
      const quoted = before?.replace(/[.!?\s]+$/, '');
      const recall = quoted && before !== 'nothing' ? ` Last time you told us: "${quoted}".` : '';
      return { text: `${greeting}${recall} ${decision}`.trim() };
    },
  },
];

/**
 * A tool the offline model may call on its own: its name says it only reads (echo, search,
 * get...), and what it requires is text. Anything that may change something, or show the
 * environment or secrets, is left alone.
 */
function readOnlyWithText(spec: ModelRequest['tools'][number]): boolean {
  if (!/(^|_)(echo|search|read|get|list|find|lookup|query)/i.test(spec.name)) return false;
  if (/(write|delete|create|update|remove|move|set|send|add|env|secret|token|key)/i.test(spec.name))
    return false;
  const properties = (spec.parameters.properties ?? {}) as Record<string, { type?: unknown }>;
  const required = (spec.parameters.required ?? []) as string[];
  return required.every((k) => properties[k]?.type === 'string');
}
