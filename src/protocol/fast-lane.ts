import type { Server } from "@modelcontextprotocol/server";
import { answer, EnvelopeCheck, MODERN } from "./fast-answer.js";
import { FastCall, type Outbox } from "./fast-call.js";
import { FAST_METHODS, laneServer, wellFormed, type LaneServer } from "./fast-shapes.js";
import type { ProtocolHost } from "./host.js";
import type { MessageTransport } from "./in-memory.js";
import type { SdkServerOptions } from "./sdk-server.js";
import type { JSONRPCMessage } from "./wire.js";

/**
 * Answers the common requests of an established connection (stdio, in
 * memory), in either era, straight from the host, without the SDK's
 * per-request machinery: no schema validation of mcpkit's own requests and
 * results (the host validates arguments against the tool's schema; its
 * results are built, not parsed), no per-request context objects, an
 * `AbortController` only when a handler reads its signal, and in the modern
 * era the envelope's verdict remembered per envelope. Everything else (the
 * handshake, `ping`, notifications, answers to server-to-client requests,
 * malformed params or envelopes, retries carrying request state) goes to the
 * SDK server as before, and the lane uses that server's state (negotiated
 * version, log level, client capabilities) and its wire codec, so both paths
 * answer identically (test/fast-lane-parity.test.ts). Until something on the
 * connection needs the SDK, the server is the connection's own handshake
 * record (src/protocol/bare-connection.ts).
 */
export class FastLane {
  private server: LaneServer | undefined;
  private readonly running = new Map<string | number, FastCall>();
  private readonly envelopes = new EnvelopeCheck();
  private readonly logging: boolean;
  /** Whether a modern request has gone to the SDK's entry, which pins the era on it. */
  private pinned = false;

  constructor(
    private readonly host: ProtocolHost,
    private readonly options: SdkServerOptions,
    private readonly wire: MessageTransport,
    private readonly onerror: ((error: Error) => void) | undefined,
  ) {
    this.logging = host.capabilities().logging !== undefined;
  }

  /** The server the connection is answered for: its bare record, then the SDK server it was handed to. */
  attach(server: Server | LaneServer): void {
    this.server = laneServer(server);
  }

  /** Answer `message` here and return true, or return false to hand it to the SDK server. */
  offer(message: JSONRPCMessage): boolean {
    const m = message as { id?: string | number; method?: unknown; params?: Record<string, unknown> };
    if (m.method === "notifications/cancelled") {
      // The SDK server hears it too (middleware sees every notification); a request of ours stops here.
      this.running.get(m.params?.requestId as string | number)?.cancel(m.params?.reason);
      return false;
    }
    const server = this.server;
    // Only a connected server: a probe instance the entry discarded has no transport any more.
    if (server === undefined || server.transport === undefined || m.id === undefined || typeof m.method !== "string" || !FAST_METHODS.has(m.method)) return false;
    const version = server.getNegotiatedProtocolVersion();
    if (version === undefined) return false;
    const modern = version >= MODERN;
    if (modern && version !== MODERN) return false;
    const params = m.params ?? {};
    if (!wellFormed(m.method, params, modern) || this.running.has(m.id)) return false;
    if (modern) {
      if (!this.envelopes.valid(message, params._meta)) return false;
      // After `server/discover` the SDK's entry holds its instance as a probe and pins the
      // modern era on the first request that follows: that request must reach it.
      if (!this.pinned) {
        this.pinned = true;
        return false;
      }
    }
    const id = m.id;
    const call = new FastCall({
      id,
      method: m.method,
      params,
      server,
      era: modern ? "modern" : "legacy",
      sessionId: undefined,
      outbox: new WireOutbox(this.wire, this.onerror),
      transport: this.options.transport,
      request: undefined,
      logging: this.logging,
      done: () => this.running.delete(id),
    });
    this.running.set(id, call);
    void answer(this.host, call);
    return true;
  }
}

/** One call's messages, straight onto the connection; nothing once the call is cancelled (the client has stopped waiting). */
export class WireOutbox implements Outbox {
  private open = true;

  constructor(
    private readonly wire: MessageTransport,
    private readonly onerror: ((error: Error) => void) | undefined,
  ) {}

  notify(message: JSONRPCMessage): void {
    if (!this.open) return;
    this.wire.send(message).catch((error: unknown) => this.onerror?.(error instanceof Error ? error : new Error(String(error))));
  }

  finish(message: JSONRPCMessage): void {
    this.notify(message);
    this.open = false;
  }

  abandon(): void {
    this.open = false;
  }
}
