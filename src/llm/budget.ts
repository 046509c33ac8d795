import { ArshaiError } from '../errors/arshai-error.js';
import { InvalidInputError } from '../errors/invalid-input-error.js';
import { asyncContext, hasAsyncContext } from '../utils/async-context.js';
import type { Pricing } from './pricing.js';
import type { Usage } from './usage.js';

/** Limits of what a call, an agent or a workflow run may spend. Each is optional. */
export interface Budget {
  /** Tokens, input and output (`usage.totalTokens`), over every model call. */
  maxTokens?: number;
  /** US dollars, over the calls whose cost is known (see `pricing`). */
  maxCostUsd?: number;
  /** Tool calls started. */
  maxToolCalls?: number;
  /** Model calls made (each turn of a tool loop is one). */
  maxModelCalls?: number;
}

/** What has been spent against a budget. */
export interface Spent {
  tokens: number;
  costUsd: number;
  toolCalls: number;
  modelCalls: number;
  /** Model calls whose cost is unknown: not counted in `costUsd`. */
  unpricedCalls: number;
}

/** Which limit was reached. */
export type BudgetLimit = keyof Budget;

/**
 * A budget ran out: the work stopped before its next model call (or tool call), with what
 * was spent. Not retryable as it is; raise the budget (a workflow run: `resume(runId, {
 * budget })`) to go on.
 *
 * @example
 * ```ts
 * try { await client.chat({ ...input, budget: { maxModelCalls: 3 } }) } catch (e) {
 *   if (BudgetExceededError.isInstance(e)) console.log(e.limit, e.spent.modelCalls);
 * }
 * ```
 */
export class BudgetExceededError extends ArshaiError {
  static override readonly code: string = 'BudgetExceededError';

  readonly limit: BudgetLimit;
  readonly budget: Budget;
  readonly spent: Spent;
  /** @internal The meter that ran out (a workflow run tells its own budget from a call's). */
  declare readonly meter?: BudgetMeter;

  constructor(limit: BudgetLimit, budget: Budget, spent: Spent, meter?: BudgetMeter) {
    super(
      `Budget exceeded: ${describe(limit, budget, spent)} (spent ${spent.tokens} tokens, $${spent.costUsd.toFixed(4)}, ${spent.modelCalls} model calls, ${spent.toolCalls} tool calls)`,
      { retryable: false },
    );
    this.limit = limit;
    this.budget = { ...budget };
    this.spent = { ...spent };
    if (meter) Object.defineProperty(this, 'meter', { value: meter, enumerable: false });
  }
}

function describe(limit: BudgetLimit, budget: Budget, spent: Spent): string {
  switch (limit) {
    case 'maxTokens':
      return `${spent.tokens} of ${budget.maxTokens} tokens`;
    case 'maxCostUsd':
      return `$${spent.costUsd.toFixed(4)} of $${budget.maxCostUsd}`;
    case 'maxToolCalls':
      return `${spent.toolCalls} of ${budget.maxToolCalls} tool calls`;
    default:
      return `${spent.modelCalls} of ${budget.maxModelCalls} model calls`;
  }
}

/** Nothing spent. */
export function nothingSpent(): Spent {
  return { tokens: 0, costUsd: 0, toolCalls: 0, modelCalls: 0, unpricedCalls: 0 };
}

/** The budget, checked: every limit a non-negative number. */
export function checkBudget(budget: unknown, field = 'budget'): Budget | undefined {
  if (budget === undefined) return undefined;
  if (typeof budget !== 'object' || budget === null || Array.isArray(budget))
    throw new InvalidInputError(field, 'must be an object of limits');
  for (const [key, value] of Object.entries(budget)) {
    if (!['maxTokens', 'maxCostUsd', 'maxToolCalls', 'maxModelCalls'].includes(key))
      throw new InvalidInputError(`${field}.${key}`, 'is not a budget limit');
    if (value !== undefined && (typeof value !== 'number' || !(value >= 0)))
      throw new InvalidInputError(`${field}.${key}`, 'must be a non-negative number');
  }
  return budget as Budget;
}

/**
 * `checkBudget` for a budget around many calls (`withBudget`, a run's budget): it reaches the
 * calls through the runtime's async context, so a runtime without one (a browser) refuses it
 * rather than let the calls run unmetered.
 */
export function checkScopedBudget(budget: unknown, field = 'budget'): Budget | undefined {
  const checked = checkBudget(budget, field);
  if (checked !== undefined && !hasAsyncContext()) {
    throw new InvalidInputError(
      field,
      'a budget around many calls needs AsyncLocalStorage, which this runtime lacks (Node, Bun, Deno and workerd have it): give each call its own budget instead',
    );
  }
  return checked;
}

/**
 * Spending against one budget, shared by everything that runs under it (the turns of a tool
 * loop, the nodes and parallel branches of a run). Checked before each model call and tool
 * call; charged after each model call. Work already in flight when the budget runs out is not
 * cut short: concurrent branches overspend by at most the calls they had in flight.
 */
export class BudgetMeter {
  readonly budget: Budget;
  readonly spent: Spent;

  constructor(budget: Budget, spent: Spent = nothingSpent()) {
    this.budget = budget;
    this.spent = { ...spent };
  }

  /** The limit already reached, if any (what the next model call would be refused for). */
  reached(): BudgetLimit | undefined {
    const { budget: b, spent: s } = this;
    if (b.maxModelCalls !== undefined && s.modelCalls >= b.maxModelCalls) return 'maxModelCalls';
    if (b.maxTokens !== undefined && s.tokens >= b.maxTokens) return 'maxTokens';
    if (b.maxCostUsd !== undefined && s.costUsd >= b.maxCostUsd) return 'maxCostUsd';
    if (b.maxToolCalls !== undefined && s.toolCalls >= b.maxToolCalls) return 'maxToolCalls';
    return undefined;
  }

  /** Whether anything was spent. */
  get used(): boolean {
    return this.spent.modelCalls > 0 || this.spent.toolCalls > 0;
  }

  /** Charges the tokens and cost of a model call (counted when it started). */
  charge(usage: Usage): void {
    const s = this.spent;
    s.tokens += usage.totalTokens;
    if (usage.costUsd !== undefined) s.costUsd += usage.costUsd;
    if (usage.unpriced) s.unpricedCalls += usage.unpriced;
  }
}

/**
 * Before a model call: every meter must allow it (else `BudgetExceededError`, and nothing is
 * counted), then each counts it.
 */
export function startModelCall(meters: readonly BudgetMeter[]): void {
  for (const m of meters) {
    const limit = m.reached();
    if (limit && limit !== 'maxToolCalls')
      throw new BudgetExceededError(limit, m.budget, m.spent, m);
  }
  for (const m of meters) m.spent.modelCalls++;
}

/** Before a tool call: every meter must allow it, then each counts it. */
export function startToolCall(meters: readonly BudgetMeter[]): void {
  for (const m of meters) {
    const { maxToolCalls } = m.budget;
    if (maxToolCalls !== undefined && m.spent.toolCalls >= maxToolCalls)
      throw new BudgetExceededError('maxToolCalls', m.budget, m.spent, m);
  }
  for (const m of meters) m.spent.toolCalls++;
}

/** What work runs under: budget meters (a run's, an agent's), and prices from a runner. */
interface CallScope {
  meters: readonly BudgetMeter[];
  pricing?: Pricing;
}

/** The scope of the current work: every model call checks and charges its meters. */
const callScope = asyncContext<CallScope>();

/**
 * Runs `work` under a budget: every model call and tool call it makes — through any agent,
 * pattern or client — is checked against it and charged to it (as well as to any budget
 * around it). Resolves with what `work` returned and what it spent; rejects with
 * `BudgetExceededError` when the budget ran out.
 *
 * @example
 * ```ts
 * const { result, spent } = await withBudget({ maxModelCalls: 5 }, () => agent.process({ message: 'Hi' }));
 * ```
 */
export async function withBudget<T>(
  budget: Budget,
  work: () => Promise<T>,
): Promise<{ result: T; spent: Spent }> {
  const meter = new BudgetMeter(checkScopedBudget(budget) ?? {});
  const result = await underMeter(meter, work);
  return { result, spent: { ...meter.spent } };
}

/**
 * Runs `work` with `meter` added to the meters around it (and `pricing`, when given, as the
 * prices of calls whose client has none).
 */
export function underMeter<T>(meter: BudgetMeter, work: () => T, pricing?: Pricing): T {
  const outer = callScope.getStore();
  const meters = outer ? [...outer.meters, meter] : [meter];
  const prices = pricing ?? outer?.pricing;
  return callScope.run(prices ? { meters, pricing: prices } : { meters }, work);
}

/** The meters a model call answers to: the call's own budget, then those around it. */
export function metersFor(budget: Budget | undefined): readonly BudgetMeter[] | undefined {
  const outer = callScope.getStore()?.meters;
  if (budget === undefined) return outer;
  const own = new BudgetMeter(checkBudget(budget) ?? {});
  return outer ? [own, ...outer] : [own];
}

/** The prices the current work runs under (a runner's `pricing`), if any. */
export function scopedPricing(): Pricing | undefined {
  return callScope.getStore()?.pricing;
}

/** Whether `error` (or an error it wraps) is `meter`'s budget running out (not one around it). */
export function isBudgetOf(error: unknown, meter: BudgetMeter): boolean {
  for (let e = error, depth = 0; e && depth < 8; e = (e as Error).cause, depth++) {
    if (BudgetExceededError.isInstance(e) && e.meter === meter) return true;
  }
  return false;
}
