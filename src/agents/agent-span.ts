import { BudgetMeter, underMeter } from '../llm/budget.js';
import { GEN_AI } from '../telemetry/gen-ai.js';
import { endSpan, inSpan, startSpan } from '../telemetry/spans.js';
import type { SpanLike, TelemetryOptions } from '../telemetry/telemetry-types.js';
import type { Agent } from './agent.js';

/** The telemetry of an agent's client (agents and patterns trace with their client's). */
function telemetryOf(agent: Agent<unknown>): TelemetryOptions | undefined {
  const client = (agent as { llmClient?: { telemetry?: TelemetryOptions } }).llmClient;
  return client?.telemetry?.tracer ? client.telemetry : undefined;
}

/**
 * Runs `work` (the agent's call) in an `invoke_agent {name}` span, when the agent's client
 * has a tracer; the agent's model and tool calls become its children. `attributes` add what
 * the pattern knows (the route chosen, the branch).
 */
export function inAgentSpan<T>(
  agent: Agent<unknown>,
  name: string | undefined,
  work: () => Promise<T>,
  attributes: Record<string, string | number | boolean> = {},
): Promise<T> {
  // Without a tracer: the call itself, no extra frame.
  const telemetry = name === undefined ? undefined : telemetryOf(agent);
  return telemetry ? traced(telemetry, name as string, work, attributes) : work();
}

async function traced<T>(
  telemetry: TelemetryOptions,
  name: string,
  work: () => Promise<T>,
  attributes: Record<string, string | number | boolean>,
): Promise<T> {
  const span = startSpan(telemetry, `invoke_agent ${name}`, {
    [GEN_AI.OPERATION_NAME]: 'invoke_agent',
    [GEN_AI.AGENT_NAME]: name,
    ...attributes,
  });
  // What the agent's calls spend is its own (on the span), and counts for the budgets around.
  const meter = new BudgetMeter({});
  try {
    const result = await underMeter(meter, () => inSpan(span, work));
    endSpan(spending(span, meter));
    return result;
  } catch (error) {
    endSpan(spending(span, meter), error);
    throw error;
  }
}

/** Puts what an agent spent on its span. */
function spending(span: SpanLike | undefined, meter: BudgetMeter): SpanLike | undefined {
  const s = meter.spent;
  span?.setAttributes({
    'arshai.usage.model_calls': s.modelCalls,
    'arshai.usage.tool_calls': s.toolCalls,
    'arshai.usage.tokens': s.tokens,
    ...(s.modelCalls > s.unpricedCalls ? { [GEN_AI.COST_USD]: s.costUsd } : {}),
  });
  return span;
}
