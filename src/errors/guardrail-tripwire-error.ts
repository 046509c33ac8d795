import { ArshaiError } from './arshai-error.js';

/** Where a guardrail stood: on the user input, the final answer, a tool's arguments or result. */
export type GuardrailKind = 'input' | 'output' | 'tool-input' | 'tool-output';

/**
 * A guardrail tripped: the call ended (work still in flight was cancelled; a stream ends with
 * this error). `guardrail` names it, `kind` says where it stood, `reason` why it tripped.
 * The reason is the guardrail's own text: keep user data out of it. A guardrail that threw
 * trips too (reason "the guardrail failed (<error name>)", the error as `cause`).
 *
 * @example
 * ```ts
 * if (GuardrailTripwireError.isInstance(e)) console.log(e.guardrail, e.reason);
 * ```
 */
export class GuardrailTripwireError extends ArshaiError {
  static override readonly code: string = 'GuardrailTripwireError';

  readonly guardrail: string;
  readonly kind: GuardrailKind;
  readonly reason: string;
  /** What the guardrail attached (a score, a category), when it did. */
  readonly info: unknown;

  constructor(
    fields: { guardrail: string; kind: GuardrailKind; reason: string; info?: unknown },
    cause?: unknown,
  ) {
    super(
      `Guardrail "${fields.guardrail}" (${fields.kind}) tripped: ${fields.reason}`,
      cause === undefined ? {} : { cause },
    );
    this.guardrail = fields.guardrail;
    this.kind = fields.kind;
    this.reason = fields.reason;
    this.info = fields.info;
  }
}
