import { BaseLLMClient } from '../llm/base-llm-client.js';
import type { ModelAdapter } from '../llm/model-adapter.js';
import { CountingAdapter } from '../showcase/counting-adapter.js';
import { EXAMPLE_PRICING } from '../showcase/example-pricing.js';
import { OfflineModel } from '../showcase/offline-model.js';
import { OFFLINE_RULES } from '../showcase/offline-rules.js';
import { UsageError } from './usage-error.js';

/** The model the showcase runs on. */
export interface ModelChoice {
  client: BaseLLMClient;
  counting: CountingAdapter;
  description: string;
  simulated: boolean;
}

export const PROVIDERS = ['offline', 'openai', 'anthropic', 'gemini', 'openai-compatible'] as const;

/**
 * Picks the model from `--provider` or the environment (read here, at the CLI's edge):
 * `OPENAI_API_KEY`, `ANTHROPIC_API_KEY`, `GEMINI_API_KEY`, `OPENAI_BASE_URL`; else the
 * embedded offline model. Provider SDKs are imported only when chosen.
 */
export async function chooseModel(
  provider: string | undefined,
  model: string | undefined,
  env: NodeJS.ProcessEnv,
  offlineLatencyMs: number,
): Promise<ModelChoice> {
  const chosen =
    provider ??
    (env.OPENAI_API_KEY
      ? 'openai'
      : env.ANTHROPIC_API_KEY
        ? 'anthropic'
        : env.GEMINI_API_KEY
          ? 'gemini'
          : env.OPENAI_BASE_URL
            ? 'openai-compatible'
            : 'offline');
  let adapter: ModelAdapter;
  switch (chosen) {
    case 'offline':
      adapter = new OfflineModel({ rules: OFFLINE_RULES, latencyMs: offlineLatencyMs });
      break;
    case 'openai':
    case 'openai-compatible': {
      const { OpenAIClient } = await import('../providers/openai/index.js');
      const baseURL = env.OPENAI_BASE_URL;
      adapter = new OpenAIClient({
        model:
          model ??
          env.OPENAI_MODEL ??
          (chosen === 'openai' && !baseURL ? 'gpt-4o-mini' : 'llama3.2'),
        apiKey: env.OPENAI_API_KEY ?? 'not-needed',
        ...(baseURL ? { baseURL } : {}),
      }).adapter;
      break;
    }
    case 'anthropic': {
      const { AnthropicClient } = await import('../providers/anthropic/index.js');
      adapter = new AnthropicClient({
        model: model ?? 'claude-haiku-4-5',
        apiKey: env.ANTHROPIC_API_KEY,
      }).adapter;
      break;
    }
    case 'gemini': {
      const { GeminiClient } = await import('../providers/gemini/index.js');
      adapter = new GeminiClient({ model: model ?? 'gemini-2.5-flash', apiKey: env.GEMINI_API_KEY })
        .adapter;
      break;
    }
    default:
      throw new UsageError(
        `unknown provider "${chosen}" (expected one of: ${PROVIDERS.join(', ')})`,
      );
  }
  const counting = new CountingAdapter(adapter);
  const simulated = chosen === 'offline';
  return {
    // Costs in the summary come from an example table (see EXAMPLE_PRICING).
    client: new BaseLLMClient(counting, { model: adapter.model }, { pricing: EXAMPLE_PRICING }),
    counting,
    simulated,
    description: simulated
      ? 'offline rule-based model (SIMULATED: deterministic rules stand in for an LLM; set OPENAI_API_KEY, ANTHROPIC_API_KEY, GEMINI_API_KEY or OPENAI_BASE_URL to use a real one)'
      : `${adapter.provider} ${adapter.model}`,
  };
}
