import type { EventStore, JSONRPCMessage } from "../protocol/index.js";

export type { EventStore };

interface StoredEvent {
  readonly id: string;
  readonly streamId: string;
  readonly message: JSONRPCMessage;
}

/**
 * An in-process event store for resumable legacy SSE streams (`Last-Event-ID`).
 * Bounded: the oldest events are dropped past `maxEvents`. For several
 * processes behind a load balancer use a shared store (Redis, later).
 */
export class InMemoryEventStore implements EventStore {
  private readonly events: StoredEvent[] = [];
  private readonly index = new Map<string, number>();
  private sequence = 0;
  private dropped = 0;

  constructor(private readonly maxEvents = 10_000) {}

  async storeEvent(streamId: string, message: JSONRPCMessage): Promise<string> {
    const id = `${streamId}:${(this.sequence++).toString(36)}`;
    this.events.push({ id, streamId, message });
    this.index.set(id, this.dropped + this.events.length - 1);
    if (this.events.length > this.maxEvents) {
      const gone = this.events.shift() as StoredEvent;
      this.index.delete(gone.id);
      this.dropped++;
    }
    return id;
  }

  /** The stream an event id belongs to, or `undefined` when the id is unknown or was dropped. */
  async getStreamIdForEventId(eventId: string): Promise<string | undefined> {
    const position = this.index.get(eventId);
    return position === undefined ? undefined : this.events[position - this.dropped]?.streamId;
  }

  async replayEventsAfter(
    lastEventId: string,
    { send }: { send: (eventId: string, message: JSONRPCMessage) => Promise<void> },
  ): Promise<string> {
    const position = this.index.get(lastEventId);
    if (position === undefined) throw new Error(`Unknown or expired event id: ${lastEventId}`);
    const streamId = (this.events[position - this.dropped] as StoredEvent).streamId;
    for (const event of this.events.slice(position - this.dropped + 1)) {
      if (event.streamId === streamId) await send(event.id, event.message);
    }
    return streamId;
  }
}
