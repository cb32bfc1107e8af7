import type { Server } from "@modelcontextprotocol/server";
import { FastCall, type Outbox } from "./fast-call.js";
import { errorMessage, isPlainObject, laneServer, pinEra, type LaneServer, type WireCodec } from "./fast-shapes.js";
import type { ProtocolHost } from "./host.js";
import type { MessageTransport } from "./in-memory.js";
import { loadedSdk, loadSdk, sdk } from "./sdk-loader.js";
import { LEGACY_PROTOCOL_VERSIONS } from "./versions.js";
import type { ClientCapabilities, Implementation, JSONRPCMessage, ServerCapabilities } from "./wire.js";

/** The revision whose codec the bare connection writes with: every 2025-era revision is written alike. */
const LEGACY_ERA = "2025-11-25";

/** What the connection answers itself: the handshake's two messages, `ping`, and cancellations of its own calls. */
interface Incoming {
  readonly id?: string | number;
  readonly method?: unknown;
  readonly params?: Record<string, unknown>;
}

/** What a bare connection asks of the connection it stands for. */
export interface BareHooks {
  /** Where one request's messages go. */
  outbox(): Outbox;
  /** The handshake was negotiated. */
  initialized(): void;
  /** Load the SDK and hand the connection to it; resolves with its server once that holds the handshake. */
  upgrade(): Promise<Server>;
}

/**
 * A 2025-era long-lived connection (stdio, in memory) before anything on it
 * has needed the MCP SDK. Importing the SDK is most of a server's start-up,
 * and a client that initializes and then lists and calls tools, reads
 * resources and gets prompts needs none of it: this record answers the
 * `initialize` handshake the way the SDK's server does (the same
 * negotiation, capabilities and identity, through the host's middleware), and
 * the fast lane answers the common requests with it as their server. It has
 * the members of an SDK `Server` the lane and `Connections` read. The first
 * message that needs more goes to `upgrade`, which loads the SDK and hands
 * the connection over (src/protocol/serve-connection.ts); the parity tests
 * hold both paths to the same answers.
 */
export class BareConnection implements LaneServer {
  /** The connection, once the handshake is done (the lane answers only a connected server). */
  transport: MessageTransport | undefined;
  onclose: (() => void) | undefined;
  /** The `initialize` params the client sent, for the SDK server the connection is handed to. */
  initializeParams: Record<string, unknown> | undefined;
  readonly _loggingLevels = undefined;
  private version: string | undefined;
  private clientCapabilities: ClientCapabilities | undefined;
  private clientInfo: Implementation | undefined;

  constructor(
    private readonly host: ProtocolHost,
    private readonly kind: "stdio" | "memory",
    private readonly wire: MessageTransport,
    private readonly hooks: BareHooks,
  ) {}

  /**
   * Answer `message` here and return true, or return false: it needs the SDK.
   * Only a well-formed first `initialize` for a 2025-era revision, the
   * `initialized` notification and `ping`s after it, and cancellations are
   * taken.
   */
  take(message: JSONRPCMessage, onerror: (error: Error) => void): boolean {
    const m = message as Incoming;
    if (m.id === undefined) {
      const initialized = m.method === "notifications/initialized" && this.version !== undefined;
      if (!initialized && m.method !== "notifications/cancelled") return false;
      // The SDK server hears notifications through the middleware chain; so does this one.
      this.notification(m.method as string, m.params ?? {}).catch((error: unknown) => onerror(error instanceof Error ? error : new Error(String(error))));
      return true;
    }
    if (m.method === "ping" && this.version !== undefined && (m.params === undefined || isPlainObject(m.params))) {
      // Clients ping an idle connection now and then: that alone should not load the SDK.
      void this.answer(m.id, "ping", m.params ?? {}, async () => ({}));
      return true;
    }
    if (m.method !== "initialize" || this.version !== undefined || this.initializeParams !== undefined || !initializeShape(m.params)) return false;
    this.initializeParams = m.params;
    const params = m.params;
    void this.answer(m.id, "initialize", params, async () => this.negotiate(params));
    return true;
  }

  private async notification(method: string, params: Record<string, unknown>): Promise<void> {
    await this.host.around?.("notification", method, params, undefined, () => Promise.resolve());
  }

  /** Answer one request through the host's middleware, as the SDK server's handler wrapper does. */
  private async answer(id: string | number, method: string, params: Record<string, unknown>, next: () => Promise<Record<string, unknown>>): Promise<void> {
    const outbox = this.hooks.outbox();
    const call = new FastCall({ id, method, params, server: this, era: "legacy", sessionId: undefined, outbox, transport: this.kind, request: undefined, logging: false });
    let message: JSONRPCMessage;
    try {
      const result = (this.host.around === undefined ? await next() : await this.host.around("request", method, params, call, next)) as Record<string, unknown>;
      message = { jsonrpc: "2.0", id, result } as JSONRPCMessage;
    } catch (error) {
      message = errorMessage(this, id, error);
    }
    outbox.finish(message, 200);
  }

  /** The SDK server's negotiation: the client's revision if it is a supported 2025-era one, else the newest. */
  private negotiate(params: Record<string, unknown>): Record<string, unknown> {
    const requested = params.protocolVersion as string;
    const version = LEGACY_PROTOCOL_VERSIONS.includes(requested) ? requested : (LEGACY_PROTOCOL_VERSIONS[0] as string);
    this.version = version;
    this.clientCapabilities = params.capabilities as ClientCapabilities;
    this.clientInfo = params.clientInfo as Implementation;
    this.transport = this.wire;
    this.hooks.initialized();
    const instructions = this.host.instructions;
    return {
      protocolVersion: version,
      capabilities: this.getCapabilities(),
      serverInfo: this.host.serverInfo,
      ...(instructions ? { instructions } : {}),
    };
  }

  getNegotiatedProtocolVersion(): string | undefined {
    return this.version;
  }

  getClientCapabilities(): ClientCapabilities | undefined {
    return this.clientCapabilities;
  }

  getClientVersion(): Implementation | undefined {
    return this.clientInfo;
  }

  getCapabilities(): ServerCapabilities {
    return { ...this.host.capabilities() };
  }

  /** A server-to-client request needs the SDK (its request tracking, timeouts, result schemas). */
  async request(message: never): Promise<unknown> {
    const server = await this.hooks.upgrade();
    return server.request(message);
  }

  _negotiatedWireCodec(): WireCodec {
    return LEGACY_CODEC;
  }

  /** A tool list whose output schemas the 2025 era wraps is encoded by the SDK's codec: load it first. */
  prepare(method: string, result: unknown): Promise<unknown> | undefined {
    return method === "tools/list" && loadedSdk() === undefined && listWrapsOutput(result) ? loadSdk() : undefined;
  }

  _outboundServerInfo(): unknown {
    return this.host.serverInfo;
  }

  /**
   * A tool result as the 2025 era puts it on the wire: a non-object
   * `structuredContent` gets a text block of its JSON (unless the handler
   * wrote text) and, like any structured value whose advertised output
   * schema's root is not an object, is wrapped as `{ result }`.
   */
  projectCallToolResult(result: never, schema: Record<string, unknown> | undefined): unknown {
    const r = result as Record<string, unknown>;
    const structured = r.structuredContent;
    if (structured === undefined) return r;
    const nonObject = !isPlainObject(structured);
    const content = r.content as { type?: unknown }[] | undefined;
    const out = nonObject && !(content?.some((block) => block.type === "text") ?? false)
      ? { ...r, content: [...(content ?? []), { type: "text", text: JSON.stringify(structured) }] }
      : r;
    if (!nonObject && !wrapsOutput(schema)) return out;
    return { ...out, structuredContent: { result: structured } };
  }

  sendToolListChanged(): Promise<void> {
    return this.send("notifications/tools/list_changed");
  }

  sendPromptListChanged(): Promise<void> {
    return this.send("notifications/prompts/list_changed");
  }

  sendResourceListChanged(): Promise<void> {
    return this.send("notifications/resources/list_changed");
  }

  sendResourceUpdated(params: { uri: string }): Promise<void> {
    return this.send("notifications/resources/updated", params);
  }

  private send(method: string, params?: Record<string, unknown>): Promise<void> {
    return this.wire.send({ jsonrpc: "2.0", method, ...(params === undefined ? {} : { params }) } as JSONRPCMessage);
  }
}

/** An output schema the 2025 era advertises wrapped as `{ result }`: one whose root is not an object. */
function wrapsOutput(schema: Record<string, unknown> | undefined): boolean {
  return schema !== undefined && schema.type !== "object";
}

/**
 * The 2025-era codec. Results are written as they are, but for a tool list
 * advertising an output schema whose root is not an object: the SDK rewrites
 * it (and its `$ref`s) into the `{ result }` wrapper, which its own codec
 * does here. Such a list is only answered here once the SDK is loaded (see
 * `prepare`).
 */
const LEGACY_CODEC: WireCodec = {
  era: LEGACY_ERA,
  encodeResult(method, result) {
    if (method !== "tools/list" || !listWrapsOutput(result)) return result as Record<string, unknown>;
    return sdkLegacyCodec().encodeResult(method, result, undefined);
  },
  // -32002 (resource not found) was never a 2025-era code: those clients get invalid params.
  encodeErrorCode: (code) => (code === -32002 ? -32602 : code),
};

/** Whether a `tools/list` result has a tool whose output schema the 2025 era wraps. */
export function listWrapsOutput(result: unknown): boolean {
  const tools = (result as { tools?: unknown }).tools;
  return Array.isArray(tools) && tools.some((tool) => isPlainObject(tool) && isPlainObject(tool.outputSchema) && wrapsOutput(tool.outputSchema));
}

let legacyTemplate: LaneServer | undefined;

/** The loaded SDK's 2025-era codec, from a server that is never connected. */
function sdkLegacyCodec(): WireCodec {
  legacyTemplate ??= laneServer(pinEra(new (sdk().Server)({ name: "mcpkit-codec", version: "0" }, { capabilities: {} }), LEGACY_ERA));
  return legacyTemplate._negotiatedWireCodec();
}

/** The `initialize` params the SDK's schema accepts, in the parts the handshake reads. */
function initializeShape(params: unknown): params is Record<string, unknown> {
  if (!isPlainObject(params) || typeof params.protocolVersion !== "string" || !LEGACY_PROTOCOL_VERSIONS.includes(params.protocolVersion)) return false;
  if (!isPlainObject(params.capabilities) || !isPlainObject(params.clientInfo)) return false;
  if (params._meta !== undefined) return false;
  const info = params.clientInfo;
  return typeof info.name === "string" && typeof info.version === "string";
}
