import { CAPABILITIES_KEY, CLIENT_INFO_KEY, LOG_LEVEL_KEY, VERSION_KEY, withoutEnvelope, type LaneServer } from "./fast-shapes.js";
import type { FastHttpRequest } from "./http-exchange.js";
import type { InputAsk, InputRequiredInterrupt, ProtocolCall, ProtocolEra } from "./host.js";
import { pushRequest } from "./sdk-server.js";
import type { ClientCapabilities, Implementation, JSONRPCMessage, LoggingLevel } from "./wire.js";

const SEVERITY: readonly LoggingLevel[] = ["debug", "info", "notice", "warning", "error", "critical", "alert", "emergency"];

/** Where a fast-path call's messages go: an HTTP exchange, or a long-lived connection. */
export interface Outbox {
  /** A notification tied to the request (progress, log). */
  notify(message: JSONRPCMessage): void;
  /** The answer; nothing is written after it. `status` is the HTTP status, where there is one. */
  finish(message: JSONRPCMessage, status: number): void;
  /** The request was cancelled or its client went away: write nothing more. */
  abandon(): void;
}

/** What one fast-path call is made from. */
export interface FastCallInit {
  readonly id: string | number;
  readonly method: string;
  readonly params: Record<string, unknown>;
  /** The SDK server (or bare connection) whose state (legacy session) and codec the answer uses. */
  readonly server: LaneServer;
  readonly era: ProtocolEra;
  readonly sessionId: string | undefined;
  readonly outbox: Outbox;
  readonly transport: "http" | "stdio" | "memory";
  /** The HTTP request, when HTTP carried the call. */
  readonly request: FastHttpRequest | undefined;
  /** Whether the server declared the logging capability. */
  readonly logging: boolean;
  /** Runs once the handler has finished, answered or not. */
  readonly done?: (() => void) | undefined;
}

/**
 * One request on a fast path (src/protocol/fast-lane.ts,
 * src/protocol/http-fast.ts) as the dispatcher sees it. A class, not an
 * object literal with closures: a busy server makes one per request, and
 * everything a handler may never read (the abort signal, the web `Request`)
 * is made on first use.
 */
export class FastCall implements ProtocolCall {
  readonly requestId: string | number;
  readonly method: string;
  readonly era: ProtocolEra;
  readonly meta: Readonly<Record<string, unknown>> | undefined;
  readonly progressToken: string | number | undefined;
  readonly sessionId: string | undefined;
  readonly authInfo = undefined;
  readonly transport: "http" | "stdio" | "memory";
  readonly inputResponses = undefined;
  readonly carriedResponses: Readonly<Record<string, unknown>> = {};
  /** The questions recorded in this run (modern era): answered `input_required` even if the interrupt was caught. */
  readonly pending: InputRequiredInterrupt[] = [];
  /** A modern request's `_meta`, which holds its envelope (the client's version, identity, capabilities, log level). */
  readonly envelope: Readonly<Record<string, unknown>> | undefined;
  private controller: AbortController | undefined;
  private gone = false;
  private web: Request | undefined;

  constructor(readonly init: FastCallInit) {
    this.requestId = init.id;
    this.transport = init.transport;
    this.method = init.method;
    this.era = init.era;
    const meta = init.params._meta as Record<string, unknown> | undefined;
    this.envelope = init.era === "modern" ? meta : undefined;
    // The handler sees `_meta` as the SDK path shows it: without the envelope keys.
    this.meta = init.era === "modern" ? withoutEnvelope(meta) : meta;
    const token = this.meta?.progressToken;
    this.progressToken = typeof token === "string" || typeof token === "number" ? token : undefined;
    this.sessionId = init.sessionId;
  }

  /** Cancelled, or the client went away: the handler's signal aborts and nothing more is written. */
  cancel(reason?: unknown): void {
    if (this.gone) return;
    this.gone = true;
    this.init.outbox.abandon();
    this.controller?.abort(reason);
  }

  get signal(): AbortSignal {
    if (this.controller === undefined) {
      this.controller = new AbortController();
      if (this.gone) this.controller.abort();
    }
    return this.controller.signal;
  }

  get httpRequest(): Request | undefined {
    const request = this.init.request;
    return request === undefined ? undefined : (this.web ??= request.webRequest());
  }

  clientCapabilities(): ClientCapabilities | undefined {
    const { era, server } = this.init;
    return era === "modern" ? (this.envelope?.[CAPABILITIES_KEY] as ClientCapabilities | undefined) : server.getClientCapabilities();
  }

  clientInfo(): Implementation | undefined {
    const { era, server } = this.init;
    return era === "modern" ? (this.envelope?.[CLIENT_INFO_KEY] as Implementation | undefined) : server.getClientVersion();
  }

  protocolVersion(): string | undefined {
    const { era, server } = this.init;
    return era === "modern" ? (this.envelope?.[VERSION_KEY] as string) : server.getNegotiatedProtocolVersion();
  }

  notify(method: string, params: Record<string, unknown>): Promise<void> {
    this.init.outbox.notify({ jsonrpc: "2.0", method, params } as JSONRPCMessage);
    return Promise.resolve();
  }

  /** A log message, if the client asked for its level: the modern envelope's level, or the legacy `logging/setLevel`. */
  log(level: LoggingLevel, data: unknown, logger?: string): Promise<void> {
    if (!this.init.logging) return Promise.resolve();
    const threshold = this.era === "modern" ? (this.envelope?.[LOG_LEVEL_KEY] as LoggingLevel | undefined) : legacyLevel(this.init.server, this.sessionId);
    // A modern request that names no level asks for no log messages.
    if (this.era === "modern" && threshold === undefined) return Promise.resolve();
    if (threshold !== undefined && SEVERITY.indexOf(level) < SEVERITY.indexOf(threshold)) return Promise.resolve();
    return this.notify("notifications/message", { level, data, ...(logger === undefined ? {} : { logger }) });
  }

  /** A server-to-client request (legacy era). Unrelated to the request: on an HTTP session it goes out on the standalone stream. */
  push(ask: InputAsk): Promise<Record<string, unknown>> {
    const server = this.init.server;
    return pushRequest(server, this.era, ask, (message) => server.request(message as never) as Promise<unknown>);
  }

  needInput(interrupt: InputRequiredInterrupt): void {
    if (this.era === "modern" && !this.pending.includes(interrupt)) this.pending.push(interrupt);
  }

  closeSSE(): void {}
}

/** The level a 2025-era client set with `logging/setLevel` (on its session, or for all). */
function legacyLevel(server: LaneServer, sessionId: string | undefined): LoggingLevel | undefined {
  const levels = server._loggingLevels;
  return (levels?.get(sessionId) ?? levels?.get(undefined)) as LoggingLevel | undefined;
}
