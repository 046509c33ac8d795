import type { ToolCall } from '../../llm/message.js';

/**
 * Assembles streamed tool calls from their pieces (id and name first, then argument deltas),
 * keyed by the provider's index. Shared by the adapters whose APIs stream calls in pieces.
 */
export class ToolCallAccumulator {
  readonly #open = new Map<number, ToolCall>();

  /** Adds a piece; returns the call's state so far. */
  add(index: number, piece: { id?: string; name?: string; argumentsDelta?: string }): ToolCall {
    let call = this.#open.get(index);
    if (!call) {
      call = { id: piece.id ?? '', name: piece.name ?? '', arguments: '' };
      this.#open.set(index, call);
    }
    if (piece.id) call.id = piece.id;
    if (piece.name) call.name = call.name || piece.name;
    if (piece.argumentsDelta) call.arguments += piece.argumentsDelta;
    return call;
  }

  /** Indexes of calls still open, in order. */
  openIndexes(): number[] {
    return [...this.#open.keys()].sort((a, b) => a - b);
  }

  /** Closes the call at `index` and returns it (undefined if no such call is open). */
  close(index: number): ToolCall | undefined {
    const call = this.#open.get(index);
    this.#open.delete(index);
    return call;
  }

  /** Closes all open calls, in index order. */
  closeAll(): ToolCall[] {
    return this.openIndexes().map((i) => this.close(i) as ToolCall);
  }
}
