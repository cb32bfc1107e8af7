import { jsonCopy } from "./json-copy.js";
import type { JSONRPCMessage } from "./wire.js";

/** The transport shape both SDK halves speak (structural, so one pair serves any copy). */
export interface MessageTransport {
  onmessage?: ((message: JSONRPCMessage, extra?: unknown) => void) | undefined;
  onclose?: (() => void) | undefined;
  onerror?: ((error: Error) => void) | undefined;
  sessionId?: string | undefined;
  start(): Promise<void>;
  send(message: JSONRPCMessage, options?: unknown): Promise<void>;
  close(): Promise<void>;
}

class MemoryEnd implements MessageTransport {
  onmessage?: ((message: JSONRPCMessage, extra?: unknown) => void) | undefined;
  onclose?: (() => void) | undefined;
  onerror?: ((error: Error) => void) | undefined;
  peer: MemoryEnd | undefined;
  private closed = false;
  private readonly backlog: JSONRPCMessage[] = [];
  private started = false;

  async start(): Promise<void> {
    this.started = true;
    for (const message of this.backlog.splice(0)) this.deliver(message);
  }

  async send(message: JSONRPCMessage): Promise<void> {
    if (this.closed) throw new Error("in-memory transport is closed");
    // A copy with JSON's semantics so neither side can share mutable objects with the other,
    // exactly as a real wire would not (without paying for a text round trip).
    const copy = jsonCopy(message);
    this.peer?.receive(copy);
  }

  receive(message: JSONRPCMessage): void {
    if (this.closed) return;
    if (!this.started) {
      this.backlog.push(message);
      return;
    }
    this.deliver(message);
  }

  private deliver(message: JSONRPCMessage): void {
    queueMicrotask(() => {
      if (!this.closed) this.onmessage?.(message);
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.onclose?.();
    await this.peer?.close();
  }
}

/** Two linked in-memory transports: `[clientSide, serverSide]`. */
export function createLinkedTransports(): [MessageTransport, MessageTransport] {
  const a = new MemoryEnd();
  const b = new MemoryEnd();
  a.peer = b;
  b.peer = a;
  return [a, b];
}
