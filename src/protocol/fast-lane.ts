import type { Server } from "@modelcontextprotocol/server";
import { errorMessage, FAST_METHODS, resultMessage, wellFormed } from "./fast-shapes.js";
import type { HostMethod, ProtocolCall, ProtocolHost } from "./host.js";
import type { MessageTransport } from "./in-memory.js";
import { pushRequest, type SdkServerOptions } from "./sdk-server.js";
import type { JSONRPCMessage } from "./wire.js";

interface Running {
  controller: AbortController | undefined;
  cancelled: boolean;
}

/**
 * Answers the common requests of an established 2025-era connection (stdio,
 * in memory) straight from the host, without the SDK's per-request
 * machinery: no schema validation of mcpkit's own requests and results
 * (the host validates arguments against the tool's schema; its results are
 * built, not parsed), no per-request context objects, an `AbortController`
 * only when a handler reads its signal. Everything else (the handshake,
 * `ping`, notifications, answers to server-to-client requests, malformed
 * params, the 2026 era) goes to the SDK server as before, and the lane uses
 * that server's state (negotiated version, log level, client capabilities)
 * and its wire codec, so both paths answer identically.
 */
export class FastLane {
  private server: Server | undefined;
  private readonly running = new Map<string | number, Running>();

  constructor(
    private readonly host: ProtocolHost,
    private readonly options: SdkServerOptions,
    private readonly wire: MessageTransport,
    private readonly onerror: ((error: Error) => void) | undefined,
  ) {}

  /** The SDK server the connection was pinned to. */
  attach(server: Server): void {
    this.server = server;
  }

  /** Answer `message` here and return true, or return false to hand it to the SDK server. */
  offer(message: JSONRPCMessage): boolean {
    const m = message as { id?: string | number; method?: unknown; params?: Record<string, unknown> };
    if (m.method === "notifications/cancelled") {
      // The SDK server hears it too (middleware sees every notification); a request of ours stops here.
      const entry = this.running.get(m.params?.requestId as string | number);
      if (entry !== undefined) {
        entry.cancelled = true;
        entry.controller?.abort(m.params?.reason);
      }
      return false;
    }
    const server = this.server;
    // Only a connected server: a probe instance the entry discarded has no transport any more.
    if (server === undefined || server.transport === undefined || m.id === undefined || typeof m.method !== "string" || !FAST_METHODS.has(m.method)) return false;
    const version = server.getNegotiatedProtocolVersion();
    if (version === undefined || version >= "2026-07-28") return false;
    const params = m.params ?? {};
    if (!wellFormed(m.method, params) || this.running.has(m.id)) return false;
    void this.answer(server, m.id, m.method as HostMethod, params);
    return true;
  }

  private async answer(server: Server, id: string | number, method: HostMethod, params: Record<string, unknown>): Promise<void> {
    const entry: Running = { controller: undefined, cancelled: false };
    this.running.set(id, entry);
    let reply: JSONRPCMessage;
    try {
      reply = resultMessage(server, id, method, await this.host.handle(method, params, this.call(server, id, method, params, entry)));
    } catch (error) {
      reply = errorMessage(server, id, error);
    } finally {
      this.running.delete(id);
    }
    // A cancelled request gets no answer (the client has stopped waiting for it).
    if (entry.cancelled) return;
    await this.wire.send(reply).catch((error: unknown) => this.onerror?.(error instanceof Error ? error : new Error(String(error))));
  }

  private call(server: Server, id: string | number, method: string, params: Record<string, unknown>, entry: Running): ProtocolCall {
    const meta = params._meta as Record<string, unknown> | undefined;
    const token = meta?.progressToken;
    const wire = this.wire;
    return {
      era: "legacy",
      method,
      requestId: id,
      meta,
      progressToken: typeof token === "string" || typeof token === "number" ? token : undefined,
      sessionId: undefined,
      get signal() {
        if (entry.controller === undefined) {
          entry.controller = new AbortController();
          if (entry.cancelled) entry.controller.abort();
        }
        return entry.controller.signal;
      },
      httpRequest: undefined,
      authInfo: undefined,
      transport: this.options.transport,
      clientCapabilities: () => server.getClientCapabilities(),
      clientInfo: () => server.getClientVersion(),
      protocolVersion: () => server.getNegotiatedProtocolVersion(),
      notify: (notification, notificationParams) => wire.send({ jsonrpc: "2.0", method: notification, params: notificationParams } as JSONRPCMessage),
      log: (level, data, logger) => server.sendLoggingMessage({ level, data, ...(logger === undefined ? {} : { logger }) }),
      push: (ask) => pushRequest(server, "legacy", ask, (request) => server.request(request as never) as Promise<unknown>),
      inputResponses: undefined,
      carriedResponses: {},
      needInput: () => undefined,
      closeSSE: () => undefined,
    };
  }
}

/**
 * Put the lane in front of a connection's transport: the SDK's `serveStdio`
 * reads from the returned transport and never sees what the lane answered.
 */
export function withFastLane(inner: MessageTransport, lane: FastLane): MessageTransport {
  const outer: MessageTransport = {
    start: () => inner.start(),
    send: (message, options) => inner.send(message, options),
    close: () => inner.close(),
  };
  inner.onmessage = (message, extra) => {
    if (!lane.offer(message)) outer.onmessage?.(message, extra);
  };
  inner.onclose = () => outer.onclose?.();
  inner.onerror = (error) => outer.onerror?.(error);
  return outer;
}
