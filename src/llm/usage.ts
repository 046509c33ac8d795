/** Token usage of one or more model calls. */
export interface Usage {
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  /** Reasoning ("thinking") tokens, part of `outputTokens` where the provider counts them so. */
  reasoningTokens: number;
  /** Input tokens served from the provider's prompt cache, part of `inputTokens`. */
  cachedInputTokens: number;
  /**
   * Model calls whose provider reported no usage at all: their tokens are unknown, not zero
   * (the counts above leave them out). Absent when every call reported usage.
   */
  unreported?: number;
  /**
   * What the calls cost in US dollars: the cost the provider reported (OpenRouter does),
   * else their tokens at the client's `pricing`. Absent when no call's cost is known.
   */
  costUsd?: number;
  /** Model calls whose cost is unknown (no price for their model, none reported): not 0. */
  unpriced?: number;
  provider: string;
  model: string;
}

/** A usage record with nothing counted yet. */
export function emptyUsage(provider: string, model: string): Usage {
  return {
    inputTokens: 0,
    outputTokens: 0,
    totalTokens: 0,
    reasoningTokens: 0,
    cachedInputTokens: 0,
    provider,
    model,
  };
}

/** Token counts a provider reports for one call; missing counts are zero. */
export type UsageDelta = Partial<Omit<Usage, 'provider' | 'model'>>;

/** Whether a provider's usage report counts any tokens at all (`{}` means: not reported). */
export function reportsUsage(delta: UsageDelta | undefined): boolean {
  return (
    delta !== undefined &&
    (delta.inputTokens !== undefined ||
      delta.outputTokens !== undefined ||
      delta.totalTokens !== undefined ||
      delta.unreported !== undefined)
  );
}

/** Adds `delta` into `total` (mutates and returns `total`). `totalTokens` is derived when absent. */
export function addUsage(total: Usage, delta: UsageDelta | undefined): Usage {
  if (!delta) return total;
  const input = delta.inputTokens ?? 0;
  const output = delta.outputTokens ?? 0;
  total.inputTokens += input;
  total.outputTokens += output;
  total.totalTokens += delta.totalTokens ?? input + output;
  total.reasoningTokens += delta.reasoningTokens ?? 0;
  total.cachedInputTokens += delta.cachedInputTokens ?? 0;
  if (delta.unreported) total.unreported = (total.unreported ?? 0) + delta.unreported;
  if (delta.costUsd !== undefined) total.costUsd = (total.costUsd ?? 0) + delta.costUsd;
  if (delta.unpriced) total.unpriced = (total.unpriced ?? 0) + delta.unpriced;
  return total;
}
