import {
  createMcpHandler,
  isInitializeRequest,
  isLegacyRequest,
  WebStandardStreamableHTTPServerTransport,
  type EventStore as SdkEventStore,
  type McpHttpHandler,
} from "@modelcontextprotocol/server";
import type { ChangeEvent, Connections } from "./connections.js";
import type { ProtocolHost } from "./host.js";
import { createSdkServer } from "./sdk-server.js";
import type { AuthInfo, JSONRPCMessage } from "./wire.js";

/** Stores SSE events so a client can resume a legacy stream with `Last-Event-ID`. */
export interface EventStore {
  storeEvent(streamId: string, message: JSONRPCMessage): Promise<string>;
  replayEventsAfter(
    lastEventId: string,
    options: { send: (eventId: string, message: JSONRPCMessage) => Promise<void> },
  ): Promise<string>;
}

/** Options for legacy (2025-era) sessionful serving. */
export interface SessionOptions {
  readonly maxSessions: number;
  readonly idleTimeoutMs: number;
  readonly eventStore: EventStore | undefined;
  readonly retryIntervalMs: number | undefined;
}

/** Options for the MCP endpoint. */
export interface HttpServingOptions {
  readonly responseMode: "auto" | "json" | "sse";
  readonly maxBodyBytes: number;
  readonly sessions: SessionOptions | undefined;
  readonly onerror?: ((error: Error) => void) | undefined;
}

/** The MCP endpoint: one `handle` per HTTP request, whatever the era. */
export interface HttpServing {
  handle(request: Request, parsedBody: unknown, authInfo?: AuthInfo): Promise<Response>;
  publish(event: ChangeEvent): void;
  readonly sessionCount: number;
  close(): Promise<void>;
}

interface Session {
  readonly transport: WebStandardStreamableHTTPServerTransport;
  lastSeen: number;
}

/** Build the MCP endpoint for a host. */
export function createHttpServing(
  host: ProtocolHost,
  connections: Connections,
  options: HttpServingOptions,
): HttpServing {
  const sessionsOn = options.sessions !== undefined;
  const handler: McpHttpHandler = createMcpHandler(() => createSdkServer(host, { transport: "http" }), {
    legacy: sessionsOn ? "reject" : "stateless",
    responseMode: options.responseMode,
    maxRequestBodySize: options.maxBodyBytes,
    ...(options.onerror === undefined ? {} : { onerror: options.onerror }),
  });
  const sessions = new Map<string, Session>();
  let reaper: ReturnType<typeof setInterval> | undefined;
  if (options.sessions !== undefined) {
    const idle = options.sessions.idleTimeoutMs;
    reaper = setInterval(() => reapIdle(sessions, idle), Math.max(1000, Math.min(idle, 60_000)));
    (reaper as { unref?: () => void }).unref?.();
  }

  async function handleLegacy(request: Request, parsedBody: unknown, authInfo?: AuthInfo): Promise<Response> {
    const settings = options.sessions as SessionOptions;
    const sessionId = request.headers.get("mcp-session-id");
    const requestOptions = { parsedBody, ...(authInfo === undefined ? {} : { authInfo }) };
    if (sessionId !== null) {
      const session = sessions.get(sessionId);
      if (session === undefined) return jsonRpcError(404, -32001, "Session not found");
      session.lastSeen = Date.now();
      return session.transport.handleRequest(request, requestOptions);
    }
    if (request.method !== "POST" || !isInitializeRequest(parsedBody)) {
      return jsonRpcError(400, -32000, "Bad Request: Mcp-Session-Id header is required");
    }
    if (sessions.size >= settings.maxSessions) {
      return jsonRpcError(503, -32000, "Too many sessions: try again later", { "retry-after": "5" });
    }
    const transport: WebStandardStreamableHTTPServerTransport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: () => crypto.randomUUID(),
      enableJsonResponse: options.responseMode === "json",
      maxRequestBodySize: options.maxBodyBytes,
      ...(settings.eventStore === undefined ? {} : { eventStore: settings.eventStore as SdkEventStore }),
      ...(settings.retryIntervalMs === undefined ? {} : { retryInterval: settings.retryIntervalMs }),
      onsessioninitialized: (id) => {
        sessions.set(id, { transport, lastSeen: Date.now() });
      },
      onsessionclosed: (id) => {
        sessions.delete(id);
        host.sessionClosed?.(id);
      },
    });
    transport.onclose = () => {
      if (transport.sessionId !== undefined) {
        sessions.delete(transport.sessionId);
        host.sessionClosed?.(transport.sessionId);
      }
    };
    const server = createSdkServer(host, { transport: "http", connections });
    await server.connect(transport);
    return transport.handleRequest(request, requestOptions);
  }

  return {
    async handle(request, parsedBody, authInfo) {
      if (sessionsOn && (await isLegacyRequest(request, parsedBody, { maxRequestBodySize: options.maxBodyBytes }))) {
        return handleLegacy(request, parsedBody, authInfo);
      }
      return handler.fetch(request, {
        ...(parsedBody === undefined ? {} : { parsedBody }),
        ...(authInfo === undefined ? {} : { authInfo }),
      });
    },
    publish(event) {
      if (event.kind === "tools") handler.notify.toolsChanged();
      else if (event.kind === "prompts") handler.notify.promptsChanged();
      else if (event.kind === "resources") handler.notify.resourcesChanged();
      else handler.notify.resourceUpdated(event.uri);
    },
    get sessionCount() {
      return sessions.size;
    },
    async close() {
      if (reaper !== undefined) clearInterval(reaper);
      await handler.close();
      await Promise.all([...sessions.values()].map((s) => s.transport.close().catch(() => undefined)));
      sessions.clear();
    },
  };
}

function reapIdle(sessions: Map<string, Session>, idleMs: number): void {
  const cutoff = Date.now() - idleMs;
  for (const [id, session] of sessions) {
    if (session.lastSeen < cutoff) {
      sessions.delete(id);
      void session.transport.close().catch(() => undefined);
    }
  }
}

function jsonRpcError(status: number, code: number, message: string, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify({ jsonrpc: "2.0", error: { code, message }, id: null }), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });
}
