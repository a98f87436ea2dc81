import type { EventName, EventPayload } from '../../shared/api/contract';

type Listener = (event: EventName, payload: unknown) => void;

/** Events from the engines to whoever listens (both transports); typed by the contract. */
export class EventBus {
  private listeners = new Set<Listener>();

  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    for (const l of this.listeners) {
      try {
        l(event, payload);
      } catch {
        // A broken listener (a closed socket) must not stop delivery to the others.
      }
    }
  }

  /** Every event; returns the unsubscribe function. */
  onAny(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    return this.onAny((name, payload) => {
      if (name === event) listener(payload as EventPayload<E>);
    });
  }
}
