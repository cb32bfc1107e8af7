import type { Server } from "@modelcontextprotocol/server";
import { ErrorCodes, McpkitError } from "../errors/index.js";
import { BareConnection } from "./bare-connection.js";
import type { Connections } from "./connections.js";
import { FastLane, WireOutbox } from "./fast-lane.js";
import type { ProtocolHost } from "./host.js";
import type { MessageTransport } from "./in-memory.js";
import { handshakeReplayId, isHandshakeReplay } from "./replay.js";
import { loadSdk } from "./sdk-loader.js";
import { createSdkServer } from "./sdk-server.js";
import { StdioTransport } from "./stdio-transport.js";
import type { JSONRPCMessage } from "./wire.js";

/** A served long-lived connection. */
export interface ServedConnection {
  close(): Promise<void>;
}

/**
 * Serve one long-lived connection (stdio or in-memory). A 2025-era client's
 * handshake and common requests are answered without the SDK
 * (src/protocol/bare-connection.ts, src/protocol/fast-lane.ts); the first
 * message that needs more loads the SDK and hands the connection to its
 * stdio entry, which picks the era from the opening message and pins one SDK
 * server instance for the connection.
 */
export function serveConnection(
  host: ProtocolHost,
  connections: Connections,
  kind: "stdio" | "memory",
  transport?: MessageTransport,
  onerror?: (error: Error) => void,
): ServedConnection {
  const connection = new LazyConnection(host, connections, kind, transport ?? new StdioTransport(), onerror);
  return { close: () => connection.close() };
}

class LazyConnection {
  private readonly lane: FastLane;
  private readonly bare: BareConnection;
  /** The SDK's entry, once the connection was handed to it. */
  private entry: { close(): Promise<void> } | undefined;
  /** What the SDK's entry reads and writes: the connection, minus the answer to the replayed handshake. */
  private readonly outer: MessageTransport;
  /** Messages that arrived while the SDK was being loaded, for it in their order. */
  private queue: JSONRPCMessage[] | undefined;
  private upgrading: Promise<Server | undefined> | undefined;
  private replayed: (() => void) | undefined;
  private closed = false;

  constructor(
    private readonly host: ProtocolHost,
    private readonly connections: Connections,
    private readonly kind: "stdio" | "memory",
    private readonly inner: MessageTransport,
    private readonly onerror: ((error: Error) => void) | undefined,
  ) {
    this.lane = new FastLane(host, { transport: kind, connections }, inner, onerror);
    this.bare = new BareConnection(host, kind, inner, {
      outbox: () => new WireOutbox(inner, onerror),
      // From the handshake on, list changes reach the connection (as they reach a connected SDK server).
      initialized: () => {
        if (!this.closed && this.entry === undefined) connections.add(this.bare);
      },
      upgrade: async () => {
        const server = await this.upgrade();
        if (server === undefined) throw new McpkitError(ErrorCodes.INTERNAL, "mcpkit internal error: the connection was handed to the SDK without its handshake");
        return server;
      },
    });
    this.lane.attach(this.bare);
    this.outer = {
      start: () => Promise.resolve(),
      send: (message, options) => {
        if (isHandshakeReplay(message)) {
          this.replayed?.();
          return Promise.resolve();
        }
        return inner.send(message, options);
      },
      close: () => inner.close(),
    };
    inner.onmessage = (message) => this.receive(message);
    inner.onclose = () => {
      if (this.entry === undefined) this.bare.onclose?.();
      else this.outer.onclose?.();
    };
    inner.onerror = (error) => {
      if (this.entry === undefined) this.report(error);
      else this.outer.onerror?.(error);
    };
    inner.start().catch((error: unknown) => this.report(error instanceof Error ? error : new Error(String(error))));
  }

  private receive(message: JSONRPCMessage): void {
    if (this.queue !== undefined) {
      // A cancellation still stops a call the lane is answering; the SDK server hears it too.
      if ((message as { method?: unknown }).method === "notifications/cancelled") this.lane.offer(message);
      this.queue.push(message);
      return;
    }
    if (this.lane.offer(message)) return;
    if (this.entry !== undefined) {
      this.outer.onmessage?.(message);
      return;
    }
    if (this.bare.take(message, (error) => this.report(error))) return;
    this.queue = [message];
    this.upgrade().catch((error: unknown) => this.report(error instanceof Error ? error : new Error(String(error))));
  }

  /**
   * Load the SDK and hand the connection to its stdio entry: the handshake
   * answered here is replayed to the SDK server first (its answer dropped,
   * the middleware not run again), then the queued messages, in order.
   * Resolves with the SDK server once it holds the handshake's state
   * (`undefined` when there was no handshake to replay).
   */
  private upgrade(): Promise<Server | undefined> {
    this.upgrading ??= (async () => {
      this.queue ??= [];
      const { stdio } = await loadSdk();
      let pinned: Server | undefined;
      const replayed = new Promise<void>((resolve) => (this.replayed = resolve));
      this.entry = stdio.serveStdio(
        () => {
          const server = createSdkServer(this.host, { transport: this.kind, connections: this.connections });
          this.connections.remove(this.bare);
          this.lane.attach(server);
          pinned = server;
          return server;
        },
        { transport: this.outer as never, ...(this.onerror === undefined ? {} : { onerror: this.onerror }) },
      );
      const params = this.bare.initializeParams;
      if (params !== undefined) {
        this.outer.onmessage?.({ jsonrpc: "2.0", id: handshakeReplayId(), method: "initialize", params } as JSONRPCMessage);
        await replayed;
      }
      const queued = this.queue ?? [];
      this.queue = undefined;
      // In their order, to the SDK: the lane takes the messages that come after them.
      for (const message of queued) this.outer.onmessage?.(message);
      return pinned;
    })();
    return this.upgrading;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.upgrading !== undefined) await this.upgrading.catch(() => undefined);
    if (this.entry !== undefined) return this.entry.close();
    this.connections.remove(this.bare);
    await this.inner.close();
  }

  private report(error: Error): void {
    this.onerror?.(error);
  }
}
