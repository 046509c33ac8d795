import { z } from 'zod/v4';
import { tool } from '../llm/tool.js';
import type { SupportData } from './support-data.js';

/** The orders specialist's tool: looks an order up in the bundled data. */
export function lookupOrderTool(data: SupportData) {
  return tool({
    description:
      'Look up an order by its id (like A1001): item, amount, status, delivery date, reported condition',
    parameters: z.object({
      orderId: z
        .string()
        .regex(/^A\d{4}$/)
        .describe('The order id, e.g. A1001'),
    }),
    execute: ({ orderId }) => {
      const order = data.orders[orderId];
      if (!order) throw new Error(`No order ${orderId}`);
      return { orderId, ...order };
    },
  });
}

/** The policy specialist's tool: the refund rules. */
export function refundPolicyTool(data: SupportData) {
  return tool({
    description: 'The refund policy: time window, auto-approval limit and rules',
    parameters: z.object({ topic: z.string().optional().describe('What the question is about') }),
    execute: () => data.refundPolicy,
  });
}
