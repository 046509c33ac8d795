import { BaseLLMClient, type LLMClientOptions } from '../llm/base-llm-client.js';
import type { LLMConfig } from '../llm/llm-config.js';
import { type RecordedCall, type ScriptEntry, ScriptedModel } from './scripted-model.js';

/** Options of {@link ScriptedLLMClient}. */
export interface ScriptedLLMClientOptions extends LLMClientOptions {
  /** @default { model: 'scripted-model' } */
  config?: LLMConfig;
  /** @default 'scripted' */
  provider?: string;
}

/**
 * An `LLMClient` whose model plays a script: the real tool loop, tools, validation and
 * streaming run; only the model is scripted. Records every call it receives.
 *
 * @example
 * ```ts
 * import { ScriptedLLMClient } from 'arshai/testing';
 *
 * const llm = new ScriptedLLMClient([{ text: 'Hello!' }]);
 * const { llmResponse } = await llm.chat({ systemPrompt: 'Greet.', userMessage: 'Hi' });
 * llm.assertConsumed();
 * ```
 */
export class ScriptedLLMClient extends BaseLLMClient {
  readonly model: ScriptedModel;

  constructor(steps: ScriptEntry[] = [], options: ScriptedLLMClientOptions = {}) {
    const config = options.config ?? { model: 'scripted-model' };
    const model = new ScriptedModel(steps, { provider: options.provider, model: config.model });
    super(model, config, options);
    this.model = model;
  }

  /** Every model call received, in order (transcript, tools, headers, timings). */
  get calls(): RecordedCall[] {
    return this.model.calls;
  }

  /** Steps not consumed yet. */
  get remaining(): number {
    return this.model.remaining;
  }

  /** Adds steps at the end of the script. */
  push(...steps: ScriptEntry[]): this {
    this.model.push(...steps);
    return this;
  }

  /** Throws when some scripted steps were never consumed. */
  assertConsumed(): void {
    this.model.assertConsumed();
  }
}
