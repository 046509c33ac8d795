import { InvalidInputError } from '../errors/invalid-input-error.js';
import type { ApprovalDecision, PendingApproval } from '../llm/tool-approval.js';

/** A human's answer to a waiting run, as a page or a command line takes it. */
export interface HumanAnswer {
  /** Approve or reject (every pending tool call, or as the value of a plain interrupt). */
  decision?: 'approve' | 'reject';
  /** Why a tool call was rejected (told to the model). */
  reason?: string;
  /** The value for `ctx.interrupt` (wins over `decision` there). */
  value?: unknown;
}

/** The calls a tool-approval interrupt waits on, or `undefined` for any other interrupt. */
export function pendingApprovals(payload: unknown): PendingApproval[] | undefined {
  const p = payload as { type?: unknown; pendingApprovals?: unknown } | undefined;
  return p?.type === 'tool-approval' && Array.isArray(p.pendingApprovals)
    ? (p.pendingApprovals as PendingApproval[])
    : undefined;
}

/**
 * The resume options that answer an interrupt with `payload`: `approvals` for every pending
 * call of a tool approval (which needs a decision: `InvalidInputError` naming `decision`),
 * the `value` (or the decision as the value) for `ctx.interrupt`, nothing when not asked.
 *
 * @example
 * ```ts
 * await runner.resume(runId, resumeAnswer(last.interrupt?.payload, { decision: 'approve' }));
 * ```
 */
export function resumeAnswer(
  payload: unknown,
  answer: HumanAnswer,
): { approvals?: Record<string, ApprovalDecision>; value?: unknown } {
  const pending = pendingApprovals(payload);
  if (pending) {
    if (!answer.decision)
      throw new InvalidInputError('decision', 'a tool approval is answered with approve or reject');
    const decided: ApprovalDecision =
      answer.decision === 'approve'
        ? { approve: true }
        : { approve: false, ...(answer.reason ? { reason: answer.reason } : {}) };
    return { approvals: Object.fromEntries(pending.map((p) => [p.callId, decided])) };
  }
  if ('value' in answer && answer.value !== undefined) return { value: answer.value };
  if (answer.decision) return { value: answer.decision };
  return {};
}
