import type { UsageDelta } from './usage.js';

/** What a model costs, in US dollars per million tokens. */
export interface ModelPrice {
  /** Input tokens not served from a cache. */
  inputPerMTok: number;
  /** Input tokens served from the provider's prompt cache. @default inputPerMTok */
  cachedInputPerMTok?: number;
  /** Output tokens (reasoning included, unless `reasoningPerMTok` prices them apart). */
  outputPerMTok: number;
  /** Reasoning tokens, when the provider prices them apart from output. @default outputPerMTok */
  reasoningPerMTok?: number;
}

/**
 * Prices by model name, e.g. `{ 'gpt-4o-mini': { inputPerMTok: 0.15, outputPerMTok: 0.6 } }`.
 * A name matches the model a call reports with or without its provider prefix
 * (`openai/gpt-4o-mini`) and dated suffix (`gpt-4o-mini-2024-07-18`, `claude-3-5-haiku@20241022`).
 */
export type Pricing = Readonly<Record<string, ModelPrice>>;

/** Strips what providers and gateways add around a model's name. */
function bareName(model: string): string {
  const slash = model.lastIndexOf('/');
  const name = (slash >= 0 ? model.slice(slash + 1) : model).toLowerCase();
  return name
    .replace(/@\d{8}$/, '')
    .replace(/-\d{4}-\d{2}-\d{2}$/, '')
    .replace(/-\d{8}$/, '')
    .replace(/:(free|beta|latest|extended)$/, '');
}

/**
 * The price of `model` in `pricing`: an exact entry first, then the entry whose name the
 * model's bare name (no provider prefix, no date) equals. `undefined` when none matches:
 * the cost is unknown, never 0.
 *
 * @example
 * ```ts
 * const price = findPrice({ 'gpt-4o': { inputPerMTok: 2.5, outputPerMTok: 10 } }, 'openai/gpt-4o-2024-08-06');
 * // price?.inputPerMTok === 2.5
 * ```
 */
export function findPrice(pricing: Pricing | undefined, model: string): ModelPrice | undefined {
  if (!pricing) return undefined;
  if (Object.hasOwn(pricing, model)) return pricing[model];
  const bare = bareName(model);
  for (const name in pricing) {
    if (Object.hasOwn(pricing, name) && bareName(name) === bare) return pricing[name];
  }
  return undefined;
}

/** The cost in US dollars of one call's tokens at `price`. */
export function costOf(delta: UsageDelta, price: ModelPrice): number {
  const input = delta.inputTokens ?? 0;
  const cached = Math.min(delta.cachedInputTokens ?? 0, input);
  const output = delta.outputTokens ?? 0;
  const reasoning =
    price.reasoningPerMTok === undefined ? 0 : Math.min(delta.reasoningTokens ?? 0, output);
  const dollars =
    (input - cached) * price.inputPerMTok +
    cached * (price.cachedInputPerMTok ?? price.inputPerMTok) +
    (output - reasoning) * price.outputPerMTok +
    reasoning * (price.reasoningPerMTok ?? price.outputPerMTok);
  return dollars / 1_000_000;
}
