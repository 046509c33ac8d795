import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { InvalidInputError } from '../errors/invalid-input-error.js';
import { throwIfAborted } from '../utils/abort.js';
import { asError } from './agent-output.js';
import { MaxEventsExceededError } from './orchestration-errors.js';

/** An event: what happened, its data, when, and which event caused it. */
export interface OrchestrationEvent<D = Record<string, unknown>> {
  id: string;
  type: string;
  data: D;
  /** ISO time. */
  timestamp: string;
  /** The id of the event whose handler emitted this one. */
  causedBy?: string;
}

/** What `emitEvent` and `execute` take: an event, or just its type and data. */
export type EventInput = Pick<OrchestrationEvent, 'type' | 'data'> & Partial<OrchestrationEvent>;

/** Reacts to an event; may emit more (`orchestrator.emitEvent`), linked to it automatically. */
export type EventHandler = (event: OrchestrationEvent) => Promise<void> | void;

/** Options of {@link EventDrivenOrchestrator}. */
export interface EventDrivenOptions {
  /**
   * Most events one `execute` may produce; past it the cascade stops with `MaxEventsExceededError`.
   * @default 1000
   */
  maxEvents?: number;
}

interface Run {
  count: number;
  max: number;
  signal: AbortSignal | undefined;
}

/**
 * Pattern 6, event-driven orchestration. Handlers run in registration order; a handler that
 * throws produces an `error` event (type `'error'`, caused by the event it was handling) and
 * its siblings still run. Events emitted inside a handler record the event that caused them.
 * `maxEvents` stops runaway cascades.
 *
 * @example
 * ```ts
 * const bus = new EventDrivenOrchestrator();
 * bus.registerHandler('user_message', async (e) => {
 *   const reply = await agent.process({ message: String(e.data.message) });
 *   await bus.emitEvent({ type: 'agent_response', data: { response: reply } });
 * });
 * const history = await bus.execute({ type: 'user_message', data: { message: 'Hello!' } });
 * ```
 */
export class EventDrivenOrchestrator {
  readonly handlers = new Map<string, EventHandler[]>();
  readonly eventHistory: OrchestrationEvent[] = [];
  readonly #maxEvents: number;
  readonly #current = new AsyncLocalStorage<{ event: OrchestrationEvent | undefined; run: Run }>();

  constructor(options: EventDrivenOptions = {}) {
    this.#maxEvents = options.maxEvents ?? 1000;
    if (!Number.isInteger(this.#maxEvents) || this.#maxEvents < 1) {
      throw new InvalidInputError('maxEvents', 'must be a positive integer');
    }
  }

  registerHandler(eventType: string, handler: EventHandler): void {
    const list = this.handlers.get(eventType) ?? [];
    list.push(handler);
    this.handlers.set(eventType, list);
  }

  /** Records the event and runs its handlers. Inside a handler, links it to the event being handled. */
  async emitEvent(input: EventInput): Promise<OrchestrationEvent> {
    const parent = this.#current.getStore();
    const run = parent?.run ?? { count: 0, max: this.#maxEvents, signal: undefined };
    throwIfAborted(run.signal);
    if (++run.count > run.max) throw new MaxEventsExceededError(run.max);
    const event: OrchestrationEvent = {
      id: input.id ?? randomUUID(),
      type: input.type,
      data: input.data,
      timestamp: input.timestamp ?? new Date().toISOString(),
    };
    const causedBy = input.causedBy ?? parent?.event?.id;
    if (causedBy) event.causedBy = causedBy;
    this.eventHistory.push(event);
    for (const handler of this.handlers.get(event.type) ?? []) {
      try {
        await this.#current.run({ event, run }, () => handler(event));
      } catch (error) {
        if (MaxEventsExceededError.isInstance(error) || run.signal?.aborted) throw error;
        if (event.type === 'error') continue; // an error handler's failure is not re-emitted
        const failure = asError(error);
        await this.#current.run({ event, run }, () =>
          this.emitEvent({
            type: 'error',
            data: {
              error: failure,
              message: failure.message,
              eventId: event.id,
              eventType: event.type,
            },
          }),
        );
      }
    }
    return event;
  }

  /** Emits `initialEvent` and waits for its whole cascade; returns the event history. */
  async execute(
    initialEvent: EventInput,
    options: { signal?: AbortSignal } = {},
  ): Promise<OrchestrationEvent[]> {
    const run: Run = { count: 0, max: this.#maxEvents, signal: options.signal };
    await this.#current.run({ event: undefined, run }, () => this.emitEvent(initialEvent));
    return [...this.eventHistory];
  }
}
