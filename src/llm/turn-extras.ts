import type { BuiltinToolCall, BuiltinToolCallRecord, Citation } from './builtin-tools.js';
import type { LLMResult } from './llm-result.js';

/** What one turn said beside its text and function calls. */
interface TurnSaid {
  reasoning?: string;
  citations?: Citation[];
  builtinToolCalls?: BuiltinToolCall[];
}

/**
 * Collects, over the turns of one call, what the model said beside its answer: its shared
 * reasoning (turns apart by a blank line), the sources it cited and the built-in tool calls the
 * provider ran. A call without any gets none of these fields in its result.
 */
export class TurnExtras {
  #reasoning = '';
  readonly #citations: Citation[] = [];
  readonly #builtin: BuiltinToolCallRecord[] = [];

  add(turn: number, said: TurnSaid): void {
    if (said.reasoning)
      this.#reasoning = this.#reasoning
        ? `${this.#reasoning}\n\n${said.reasoning}`
        : said.reasoning;
    if (said.citations) this.#citations.push(...said.citations);
    for (const call of said.builtinToolCalls ?? []) this.#builtin.push({ ...call, turn });
  }

  /** The result fields, only those with content. */
  fields(): Pick<LLMResult, 'reasoning' | 'citations' | 'builtinToolCalls'> {
    return {
      ...(this.#reasoning ? { reasoning: this.#reasoning } : {}),
      ...(this.#builtin.length ? { builtinToolCalls: this.#builtin } : {}),
      ...(this.#citations.length ? { citations: this.#citations } : {}),
    };
  }
}
