import { readFileSync } from 'node:fs';

/** An order of the bundled data file. */
export interface Order {
  customerId: string;
  item: string;
  amount: number;
  status: 'delivered' | 'shipped' | 'processing';
  deliveredOn: string | null;
  condition: string | null;
}

/** The bundled support data: customers, orders and the refund policy. */
export interface SupportData {
  customers: Record<string, { name: string; email: string; tier: string }>;
  orders: Record<string, Order>;
  refundPolicy: { windowDays: number; autoApproveUpTo: number; rules: string[] };
}

/** The data file shipped with the package (`data/showcase-orders.json`). */
export const SUPPORT_DATA_URL = new URL('../../data/showcase-orders.json', import.meta.url);

/** Reads the support data file (called when the showcase starts, not on import). */
export function loadSupportData(url: URL = SUPPORT_DATA_URL): SupportData {
  return JSON.parse(readFileSync(url, 'utf8')) as SupportData;
}

/** The first order id (`A` and digits) in a text. */
export function findOrderId(text: string): string | undefined {
  return /\bA\d{4}\b/.exec(text)?.[0];
}

/** What the policy allows for an order: the refund amount (0 when none) and why. */
export function assessRefund(data: SupportData, orderId: string | undefined, today: Date) {
  const order = orderId ? data.orders[orderId] : undefined;
  if (!orderId || !order)
    return { orderId, amount: 0, eligible: false, reason: 'no matching order found' };
  if (order.status !== 'delivered' || !order.deliveredOn) {
    return {
      orderId,
      amount: 0,
      eligible: false,
      reason: 'the item is not delivered yet: offer to cancel instead',
    };
  }
  const days = Math.floor((today.getTime() - Date.parse(order.deliveredOn)) / 86_400_000);
  if (days > data.refundPolicy.windowDays) {
    return {
      orderId,
      amount: 0,
      eligible: false,
      reason: `delivered ${days} days ago, outside the ${data.refundPolicy.windowDays}-day window`,
    };
  }
  if (!order.condition)
    return { orderId, amount: 0, eligible: false, reason: 'no defect reported' };
  return {
    orderId,
    amount: order.amount,
    eligible: true,
    reason: `${order.item} ${order.condition}`,
  };
}
