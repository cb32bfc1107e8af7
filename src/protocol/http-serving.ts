import type {
  EventStore as SdkEventStore,
  McpHttpHandler,
  WebStandardStreamableHTTPServerTransport,
} from "@modelcontextprotocol/server";
import type { ChangeEvent, Connections } from "./connections.js";
import type { ProtocolHost } from "./host.js";
import { HttpSession } from "./http-session.js";
import type { FastHttpReply, FastHttpRequest } from "./http-exchange.js";
import { HttpFastPath, MODERN } from "./http-fast.js";
import { createSdkServer } from "./sdk-server.js";
import { loadSdk, sdk } from "./sdk-loader.js";
import type { AuthInfo, JSONRPCMessage } from "./wire.js";

/** Stores SSE events so a client can resume a legacy stream with `Last-Event-ID`. */
export interface EventStore {
  storeEvent(streamId: string, message: JSONRPCMessage): Promise<string>;
  replayEventsAfter(
    lastEventId: string,
    options: { send: (eventId: string, message: JSONRPCMessage) => Promise<void> },
  ): Promise<string>;
  /** The stream an event id belongs to, or `undefined` for an unknown or expired id. */
  getStreamIdForEventId?(eventId: string): Promise<string | undefined>;
}

/** One function for every session's transport, not a closure each. */
const newSessionId = (): string => crypto.randomUUID();

/**
 * One session's view of the event store shared by all sessions. Stream ids are
 * stored under a random per-session scope, and an event id from outside that
 * scope is unknown here: without this, a client could send another session's
 * event id as `Last-Event-ID` and have that session's messages (tool results,
 * logs) replayed to it (found by test/http-sessions.test.ts). An unknown id is
 * answered 400 by the SDK instead of failing the replay with 500.
 */
class ScopedEventStore implements SdkEventStore {
  // A class, not closures: one of these is kept per open session.
  private readonly prefix = `${crypto.randomUUID()}/`;

  constructor(private readonly store: EventStore) {}

  storeEvent(streamId: string, message: JSONRPCMessage): Promise<string> {
    return this.store.storeEvent(this.prefix + streamId, message);
  }

  async getStreamIdForEventId(eventId: string): Promise<string | undefined> {
    const stream = await this.streamOf(eventId);
    return stream?.startsWith(this.prefix) ? stream.slice(this.prefix.length) : undefined;
  }

  async replayEventsAfter(lastEventId: string, options: Parameters<SdkEventStore["replayEventsAfter"]>[1]): Promise<string> {
    if ((await this.getStreamIdForEventId(lastEventId)) === undefined) throw new Error(`Unknown or expired event id: ${lastEventId}`);
    return (await this.store.replayEventsAfter(lastEventId, options)).slice(this.prefix.length);
  }

  private async streamOf(eventId: string): Promise<string | undefined> {
    if (this.store.getStreamIdForEventId !== undefined) return this.store.getStreamIdForEventId(eventId);
    // A store without the lookup: a dry replay names the stream without sending anything.
    try {
      return await this.store.replayEventsAfter(eventId, { send: async () => undefined });
    } catch {
      return undefined;
    }
  }
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
  /**
   * Answer a parsed POST body here, without web `Request`/`Response` objects,
   * and return true; or return false, and the request goes to `handle`. Only
   * the common requests the SDK would accept as they are take this path (see
   * `HttpFastPath`); the caller has made the checks `handle`'s callers make
   * (Host/Origin, content type, body size and depth, valid JSON).
   */
  offer(parsedBody: unknown, request: FastHttpRequest, reply: FastHttpReply): boolean;
  publish(event: ChangeEvent): void;
  readonly sessionCount: number;
  /** Load what the endpoint is built on (the SDK); until then `offer` declines and the first `handle` waits for it. */
  ready(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Build the MCP endpoint for a host. The SDK it serves with is loaded on
 * `ready()` or on the first request, so building an app (`mcp.http()`) costs
 * no start-up time.
 */
export function createHttpServing(
  host: ProtocolHost,
  connections: Connections,
  options: HttpServingOptions,
): HttpServing {
  let built: Omit<HttpServing, "ready"> | undefined;
  const ready = async (): Promise<Omit<HttpServing, "ready">> => {
    if (built === undefined) {
      await loadSdk();
      built ??= buildHttpServing(host, connections, options);
    }
    return built;
  };
  return {
    async handle(request, parsedBody, authInfo) {
      return (built ?? (await ready())).handle(request, parsedBody, authInfo);
    },
    offer(parsedBody, request, reply) {
      return built?.offer(parsedBody, request, reply) ?? false;
    },
    publish(event) {
      built?.publish(event);
    },
    get sessionCount() {
      return built?.sessionCount ?? 0;
    },
    async ready() {
      await ready();
    },
    async close() {
      await built?.close();
    },
  };
}

function buildHttpServing(host: ProtocolHost, connections: Connections, options: HttpServingOptions): Omit<HttpServing, "ready"> {
  const { createMcpHandler, isInitializeRequest, isLegacyRequest, WebStandardStreamableHTTPServerTransport } = sdk();
  const sessionsOn = options.sessions !== undefined;
  const handler: McpHttpHandler = createMcpHandler(() => createSdkServer(host, { transport: "http" }), {
    legacy: sessionsOn ? "reject" : "stateless",
    responseMode: options.responseMode,
    maxRequestBodySize: options.maxBodyBytes,
    ...(options.onerror === undefined ? {} : { onerror: options.onerror }),
  });
  const sessions = new Map<string, HttpSession>();
  const fast = new HttpFastPath(host, options.responseMode, !sessionsOn);
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
      // The SDK transport keys a session's answer streams by request id and
      // overwrites on reuse: a second in-flight request with the same id left
      // the first caller hanging forever (and held shutdown for the whole grace
      // period). Refuse the duplicate instead (found by test/http-sessions.test.ts).
      const ids = requestIdKeys(parsedBody);
      const clash = ids.find((key) => session.has(key));
      if (clash !== undefined) {
        return jsonRpcError(409, -32600, "Conflict: a request with this id is already in flight in this session", {}, idOfKey(clash));
      }
      if (ids.length === 0) return session.transport.handleRequest(request, requestOptions);
      for (const key of ids) session.start(key, undefined);
      const release = () => {
        for (const key of ids) session.end(key);
        // Idle time counts from the end of the last call, not its start.
        session.lastSeen = Date.now();
      };
      try {
        return whenBodyDone(await session.transport.handleRequest(request, requestOptions), release);
      } catch (error) {
        release();
        throw error;
      }
    }
    if (request.method !== "POST" || !isInitializeRequest(parsedBody)) {
      return jsonRpcError(400, -32000, "Bad Request: Mcp-Session-Id header is required");
    }
    if (sessions.size >= settings.maxSessions) {
      return jsonRpcError(503, -32000, "Too many sessions: try again later", { "retry-after": "5" });
    }
    const server = createSdkServer(host, { transport: "http", connections });
    const transport: WebStandardStreamableHTTPServerTransport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: newSessionId,
      enableJsonResponse: options.responseMode === "json",
      maxRequestBodySize: options.maxBodyBytes,
      ...(settings.eventStore === undefined ? {} : { eventStore: new ScopedEventStore(settings.eventStore) }),
      ...(settings.retryIntervalMs === undefined ? {} : { retryInterval: settings.retryIntervalMs }),
      onsessioninitialized: (id) => {
        sessions.set(id, new HttpSession(transport, server));
      },
      onsessionclosed: (id) => {
        sessions.delete(id);
      },
    });
    transport.onclose = () => {
      if (transport.sessionId !== undefined) sessions.delete(transport.sessionId);
    };
    await server.connect(transport);
    return transport.handleRequest(request, requestOptions);
  }

  /**
   * Stateless 2025-era requests when JSON responses are asked for. The SDK's
   * stateless legacy fallback inside `createMcpHandler` takes no response mode
   * and always answers SSE, so `jsonResponse: true` was ignored for every
   * legacy client (found by test/http.test.ts). One throwaway transport per
   * request, exactly like that fallback, but with JSON responses on.
   */
  async function handleLegacyStatelessJson(request: Request, parsedBody: unknown, authInfo?: AuthInfo): Promise<Response> {
    if (request.method !== "POST") return jsonRpcError(405, -32000, "Method not allowed.", { allow: "POST" });
    const server = createSdkServer(host, { transport: "http" });
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
      maxRequestBodySize: options.maxBodyBytes,
    });
    await server.connect(transport);
    const teardown = () => {
      void transport.close().catch(() => undefined);
      void server.close().catch(() => undefined);
    };
    // A client that goes away aborts the handler's signal, as on the SSE path.
    request.signal.addEventListener("abort", teardown, { once: true });
    try {
      return await transport.handleRequest(request, { parsedBody, ...(authInfo === undefined ? {} : { authInfo }) });
    } finally {
      request.signal.removeEventListener("abort", teardown);
      teardown();
    }
  }

  return {
    async handle(request, parsedBody, authInfo) {
      const legacyJson = !sessionsOn && options.responseMode === "json";
      if ((sessionsOn || legacyJson) && (await isLegacyRequest(request, parsedBody, { maxRequestBodySize: options.maxBodyBytes }))) {
        return sessionsOn ? handleLegacy(request, parsedBody, authInfo) : handleLegacyStatelessJson(request, parsedBody, authInfo);
      }
      return handler.fetch(request, {
        ...(parsedBody === undefined ? {} : { parsedBody }),
        ...(authInfo === undefined ? {} : { authInfo }),
      });
    },
    offer(parsedBody, request, reply) {
      // A modern request is served per request, with or without a session header.
      const sessionId = sessionsOn && request.header("mcp-protocol-version") !== MODERN ? request.header("mcp-session-id") : undefined;
      if (sessionId === undefined) return fast.offer(parsedBody, request, reply);
      const session = sessions.get(sessionId);
      // A cancellation reaches the SDK path too (middleware hears it); a call of the fast path is stopped here.
      const cancelled = cancelledKey(parsedBody);
      if (cancelled !== undefined) session?.call(cancelled.key)?.cancel(cancelled.reason);
      const key = requestIdKeys(parsedBody)[0];
      // An unknown session, or an id already in flight: the SDK path writes the error.
      if (session === undefined || key === undefined || session.has(key)) return false;
      const release = () => {
        session.end(key);
        session.lastSeen = Date.now();
      };
      const call = fast.offerSession(parsedBody, session.server, sessionId, request, reply, release);
      if (call === undefined) return false;
      session.start(key, call);
      session.lastSeen = Date.now();
      return true;
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

function reapIdle(sessions: Map<string, HttpSession>, idleMs: number): void {
  const cutoff = Date.now() - idleMs;
  for (const [id, session] of sessions) {
    // A call that runs longer than the idle timeout keeps its session: closing it would leave the caller hanging.
    if (session.lastSeen < cutoff && !session.busy) {
      sessions.delete(id);
      void session.transport.close().catch(() => undefined);
    }
  }
}

function jsonRpcError(
  status: number,
  code: number,
  message: string,
  headers: Record<string, string> = {},
  id: string | number | null = null,
): Response {
  return new Response(JSON.stringify({ jsonrpc: "2.0", error: { code, message }, id }), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });
}

/** Keys (`n:1`, `s:abc`: 1 and "1" are different ids) of the requests in a POST body; responses and notifications have none. */
function requestIdKeys(body: unknown): string[] {
  const messages = Array.isArray(body) ? body : [body];
  const keys: string[] = [];
  for (const message of messages) {
    if (typeof message !== "object" || message === null) continue;
    const { id, method } = message as { id?: unknown; method?: unknown };
    if (typeof method !== "string") continue;
    if (typeof id === "number") keys.push(`n:${id}`);
    else if (typeof id === "string") keys.push(`s:${id}`);
  }
  return keys;
}

/** The key of the request a `notifications/cancelled` body names, and its reason. */
function cancelledKey(body: unknown): { key: string; reason: unknown } | undefined {
  if (typeof body !== "object" || body === null || (body as { method?: unknown }).method !== "notifications/cancelled") return undefined;
  const params = (body as { params?: { requestId?: unknown; reason?: unknown } }).params;
  const id = params?.requestId;
  if (typeof id === "number") return { key: `n:${id}`, reason: params?.reason };
  if (typeof id === "string") return { key: `s:${id}`, reason: params?.reason };
  return undefined;
}

function idOfKey(key: string): string | number {
  return key.startsWith("n:") ? Number(key.slice(2)) : key.slice(2);
}

/** The same response, calling `done` once its body has been read to the end or cancelled. */
function whenBodyDone(response: Response, done: () => void): Response {
  if (response.body === null) {
    done();
    return response;
  }
  const reader = response.body.getReader();
  let finished = false;
  const finish = () => {
    if (finished) return;
    finished = true;
    done();
  };
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done: end, value } = await reader.read();
        if (end) {
          finish();
          controller.close();
        } else {
          controller.enqueue(value);
        }
      } catch (error) {
        finish();
        controller.error(error);
      }
    },
    async cancel(reason) {
      finish();
      await reader.cancel(reason).catch(() => undefined);
    },
  });
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
}
