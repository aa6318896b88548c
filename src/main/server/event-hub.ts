/** Fans pushed events out to whoever listens (every connected browser in web mode). */
import type { EventName, EventSink, Events } from '../../shared/contract.js';

type AnyListener = (event: EventName, payload: Events[EventName]) => void;

export class EventHub {
  private readonly listeners = new Set<AnyListener>();

  readonly emit: EventSink = (event, payload) => {
    for (const listener of this.listeners) listener(event, payload);
  };

  subscribe(listener: AnyListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
