import { TimeoutError } from '../errors/abort-error.js';
import { GuardrailTripwireError } from '../errors/guardrail-tripwire-error.js';
import { InvalidInputError } from '../errors/invalid-input-error.js';
import { abortErrorFrom, deadline, raceAbort } from '../utils/abort.js';
import type { Limiter } from '../utils/limiter.js';
import { Pause } from './approval-gate.js';
import { type GuardrailWatch, runGuardrails } from './guardrails.js';
import type { ToolCall } from './message.js';
import type { Tool } from './tool.js';

/** What one tool call produced, as the model will read it. */
export interface ToolOutcome {
  call: ToolCall;
  /** The raw value (the tool's return value, or the error text). */
  output: unknown;
  /** The text sent back to the model. */
  content: string;
  isError: boolean;
  background: boolean;
  /** Set when the call did not run: it waits for a human's approval (`output`: its args). */
  pending?: true;
}

/** Starts a background task detached; supplied by the client that tracks them. */
export type StartBackgroundTask = (name: string, call: ToolCall, tool: Tool, args: unknown) => void;

/** The tools of one loop run, looked up by name. */
export interface ToolSet {
  regular: Record<string, Tool>;
  background: Record<string, Tool>;
  limiter: Limiter;
  startBackground: StartBackgroundTask;
  /** Who watches the tools' guardrail checks. */
  watch?: GuardrailWatch;
}

/**
 * Serialises a tool's return value for the model: strings as they are, the rest as JSON.
 * A value JSON cannot hold (a circular object, a `BigInt`) throws an `InvalidInputError`,
 * which the tool loop sends to the model as the call's error.
 */
export function toolOutputText(output: unknown): string {
  if (typeof output === 'string') return output;
  try {
    return JSON.stringify(output ?? null) ?? 'null';
  } catch (error) {
    throw new InvalidInputError(
      'tool output',
      `cannot be sent to the model as JSON (${(error as Error).message.split('\n')[0]})`,
      { cause: error },
    );
  }
}

function failure(call: ToolCall, message: string, background: boolean): ToolOutcome {
  return { call, output: message, content: `Error: ${message}`, isError: true, background };
}

/** Parses the model's raw argument text; an empty string means no arguments. */
function parseArguments(raw: string): { ok: true; value: unknown } | { ok: false; error: string } {
  if (raw.trim() === '') return { ok: true, value: {} };
  try {
    return { ok: true, value: JSON.parse(raw) };
  } catch (e) {
    return { ok: false, error: `invalid JSON arguments (${(e as Error).message})` };
  }
}

/**
 * Runs one tool call: lookup, JSON parse, schema validation, execution with its timeout.
 * Every failure of the call itself becomes an error outcome the model sees. Only an abort of
 * the whole run (`signal`) and a guardrail's tripwire reject.
 */
export async function executeToolCall(
  call: ToolCall,
  tools: ToolSet,
  signal: AbortSignal,
): Promise<ToolOutcome> {
  const backgroundTool = Object.hasOwn(tools.background, call.name)
    ? tools.background[call.name]
    : undefined;
  const tool =
    backgroundTool ??
    (Object.hasOwn(tools.regular, call.name) ? tools.regular[call.name] : undefined);
  const background = backgroundTool !== undefined;
  if (!tool) {
    const names = [...Object.keys(tools.regular), ...Object.keys(tools.background)];
    return failure(
      call,
      `unknown tool "${call.name}"; available tools: ${names.join(', ') || 'none'}`,
      false,
    );
  }
  const parsed = parseArguments(call.arguments);
  if (!parsed.ok) return failure(call, parsed.error, background);
  const checked = tool.checkArgs(parsed.value);
  if (!checked.success) return failure(call, `invalid arguments: ${checked.error}`, background);
  // A tripwire rejects (the loop ends the call); a pass lets the tool run.
  await runGuardrails(tool.guardrails?.input, 'tool-input', checked.value, { signal }, tools.watch);

  if (background) {
    tools.startBackground(call.name, call, tool, checked.value);
    const notice = `Background task "${call.name}" started.`;
    return { call, output: notice, content: notice, isError: false, background };
  }

  return tools.limiter(async () => {
    if (signal.aborted) throw abortErrorFrom(signal);
    const limit = deadline(signal, tool.timeoutMs, `Tool "${call.name}"`);
    try {
      const running = Promise.resolve().then(() =>
        tool.execute(checked.value, {
          signal: limit.signal,
          toolCallId: call.id,
          toolName: call.name,
        }),
      );
      let output = await raceAbort(running, limit.signal);
      const checks = tool.guardrails?.output;
      if (checks) {
        const context = { signal: limit.signal, args: checked.value };
        const guarded = await runGuardrails(checks, 'tool-output', output, context, tools.watch);
        if (guarded.replaced) output = guarded.value;
      }
      return { call, output, content: toolOutputText(output), isError: false, background };
    } catch (error) {
      if (signal.aborted) throw abortErrorFrom(signal);
      // A tripwire ends the whole call (the loop cancels the rest), not just this tool.
      // So does a pause: an agent used as a tool waits for an approval, and so does the run.
      if (GuardrailTripwireError.isInstance(error) || Pause.isInstance(error)) throw error;
      if (TimeoutError.isInstance(error) && limit.signal.aborted) {
        return failure(call, `timed out after ${tool.timeoutMs} ms`, false);
      }
      return failure(call, error instanceof Error ? error.message : String(error), false);
    } finally {
      limit.dispose();
    }
  });
}
