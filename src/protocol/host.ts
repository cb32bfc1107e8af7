import type { AuthInfo, ClientCapabilities, Implementation, LoggingLevel, ServerCapabilities } from "./wire.js";

/** The MCP methods the protocol port hands to mcpkit's dispatcher. */
export type HostMethod =
  | "tools/list"
  | "tools/call"
  | "resources/list"
  | "resources/templates/list"
  | "resources/read"
  | "resources/subscribe"
  | "resources/unsubscribe"
  | "prompts/list"
  | "prompts/get"
  | "completion/complete";

/** Which protocol era a request arrived in. */
export type ProtocolEra = "legacy" | "modern";

/** The three kinds of input a handler can ask the client for. */
export type InputKind = "elicitation" | "sampling" | "roots";

/** One input request: what to ask and its wire params. */
export interface InputAsk {
  readonly kind: InputKind;
  readonly params: Record<string, unknown>;
}

/**
 * One request as the dispatcher sees it, whatever transport and era carried it.
 * The port builds it from the SDK's handler context; nothing SDK-shaped leaks.
 */
export interface ProtocolCall {
  readonly era: ProtocolEra;
  readonly method: string;
  readonly requestId: string | number;
  /** The request's `_meta`, without the reserved envelope keys. */
  readonly meta: Readonly<Record<string, unknown>> | undefined;
  readonly progressToken: string | number | undefined;
  readonly sessionId: string | undefined;
  readonly signal: AbortSignal;
  /** The HTTP request, when HTTP carried this call. */
  readonly httpRequest: Request | undefined;
  readonly authInfo: AuthInfo | undefined;
  readonly transport: "stdio" | "http" | "memory";
  clientCapabilities(): ClientCapabilities | undefined;
  clientInfo(): Implementation | undefined;
  protocolVersion(): string | undefined;
  /** Send a notification tied to this request (progress, log...). */
  notify(method: string, params: Record<string, unknown>): Promise<void>;
  /** Send a log message, honouring the client's level (legacy `setLevel` or modern `_meta` log level). */
  log(level: LoggingLevel, data: unknown, logger?: string): Promise<void>;
  /** Legacy sessions only: a real server-to-client request. */
  push(ask: InputAsk): Promise<Record<string, unknown>>;
  /** Modern multi-round-trip: answers the client sent on this retry, by key. */
  readonly inputResponses: Readonly<Record<string, unknown>> | undefined;
  /** Modern multi-round-trip: answers carried from earlier rounds (integrity-verified). */
  readonly carriedResponses: Readonly<Record<string, unknown>>;
  /**
   * Modern multi-round-trip: record that this request needs the answers in
   * `interrupt` (call it before throwing the interrupt). The port then answers
   * `input_required` with every recorded question even if handler or middleware
   * code caught the interrupt, so a `try/catch` around `ctx.elicit` behaves the
   * same in both eras.
   */
  needInput(interrupt: InputRequiredInterrupt): void;
  /** Close this call's SSE stream so the client reconnects (legacy sessions with an event store). */
  closeSSE(): void;
}

/**
 * Thrown by a handler (through `ctx.elicit` and friends) on a modern request
 * whose answer is not there yet. The port turns it into an `input_required`
 * result that carries `carried` forward in the integrity-protected request state.
 */
export class InputRequiredInterrupt extends Error {
  constructor(
    readonly asks: Readonly<Record<string, InputAsk>>,
    readonly carried: Readonly<Record<string, unknown>>,
  ) {
    super("input required");
    this.name = "InputRequiredInterrupt";
  }
}

/** What the server exposes to the protocol port: identity, capabilities and one dispatch entry. */
export interface ProtocolHost {
  readonly serverInfo: Implementation;
  readonly instructions: string | undefined;
  capabilities(): ServerCapabilities;
  /** At least 32 bytes; the HMAC key that protects multi-round-trip request state. */
  readonly requestStateKey: Uint8Array;
  handle(method: HostMethod, params: Record<string, unknown>, call: ProtocolCall): Promise<Record<string, unknown>>;
  /**
   * Wrap a message the host does not dispatch itself (`initialize`, `ping`,
   * `logging/setLevel`, `server/discover`, client notifications), so the
   * middleware chain sees every message. `call` is absent for notifications.
   */
  around?(
    type: "request" | "notification",
    method: string,
    params: Record<string, unknown>,
    call: ProtocolCall | undefined,
    next: () => Promise<unknown>,
  ): Promise<unknown>;
}
