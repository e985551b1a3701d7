import type { CoreEvent, CoreEventBody, CoreEventOf, CoreEventType } from '../../shared/contract';
import type { Logger } from '../logging/logger';

type Listener<E> = (event: E) => void;

/**
 * A small typed, synchronous event bus. A listener that throws is reported and
 * never breaks the emitter (capture must not fail because a UI listener did).
 * Every event is stamped with its time here, as it is emitted.
 */
export class EventBus {
  private readonly listeners = new Set<Listener<CoreEvent>>();

  constructor(private readonly log: Logger) {}

  emit(body: CoreEventBody): void {
    const event = { ...body, timestamp: new Date().toISOString() } as CoreEvent;
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.log.error({ err: error, event: event.type }, 'an event listener failed');
      }
    }
  }

  /** Every event; answers the unsubscribe function. */
  subscribe(listener: Listener<CoreEvent>): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Listeners subscribed now (the core's close leaves none). */
  get listenerCount(): number {
    return this.listeners.size;
  }

  /** Events of one type. */
  on<T extends CoreEventType>(type: T, listener: Listener<CoreEventOf<T>>): () => void {
    return this.subscribe((event) => {
      if (event.type === type) listener(event as CoreEventOf<T>);
    });
  }
}
