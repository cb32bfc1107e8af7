import type { InputRequest, JSONRPCRequest, Result, RequestStateCodec, Server, ServerContext } from "@modelcontextprotocol/server";
import { McpkitError, ErrorCodes } from "../errors/index.js";
import type { Connections } from "./connections.js";
import { toProtocolError } from "./error-mapping.js";
import { OUTPUT_SCHEMA, type LaneServer } from "./fast-shapes.js";
import {
  InputRequiredInterrupt,
  type HostMethod,
  type InputAsk,
  type ProtocolCall,
  type ProtocolHost,
} from "./host.js";
import { isHandshakeReplay } from "./replay.js";
import { sdk } from "./sdk-loader.js";
import type { AuthInfo, CallToolResult, ClientCapabilities, Implementation } from "./wire.js";

export { OUTPUT_SCHEMA };

const HOST_METHODS: readonly HostMethod[] = [
  "tools/list",
  "tools/call",
  "resources/list",
  "resources/templates/list",
  "resources/read",
  "resources/subscribe",
  "resources/unsubscribe",
  "prompts/list",
  "prompts/get",
  "completion/complete",
];

/** How a built SDK server will be used. */
export interface SdkServerOptions {
  readonly transport: "stdio" | "http" | "memory";
  /** Long-lived connections get list-changed and resource-updated pushes. */
  readonly connections?: Connections;
}

/** What an `input_required` answer carries forward in its request state. */
export interface CarriedState {
  /** The component the state was minted for: a retry against another one is refused. */
  readonly n: string;
  readonly c: Record<string, unknown>;
}

const codecs = new WeakMap<ProtocolHost, RequestStateCodec<CarriedState>>();

function codecFor(host: ProtocolHost): RequestStateCodec<CarriedState> {
  let codec = codecs.get(host);
  if (codec === undefined) {
    codec = sdk().createRequestStateCodec<CarriedState>({
      key: host.requestStateKey,
      // Bound to the method and principal so state minted for one caller or
      // operation cannot be replayed against another.
      bind: (ctx) => `${ctx.mcpReq.method}\0${ctx.http?.authInfo?.clientId ?? ""}`,
    });
    codecs.set(host, codec);
  }
  return codec;
}

/**
 * Mint the request state of an `input_required` answer outside an SDK
 * handler, bound exactly as the SDK path binds it (method and principal),
 * so a retry verifies on either path.
 */
export function mintRequestState(host: ProtocolHost, state: CarriedState, method: string, authInfo: AuthInfo | undefined): Promise<string> {
  return codecFor(host).mint(state, { mcpReq: { method }, http: authInfo === undefined ? undefined : { authInfo } } as unknown as ServerContext);
}

/**
 * Build one SDK `Server` that answers every MCP method by calling into the
 * long-lived host. Construction is cheap: no schemas are converted here, the
 * host holds them already converted. The SDK must have been loaded
 * (`loadSdk()`).
 */
export function createSdkServer(host: ProtocolHost, options: SdkServerOptions): Server {
  const { inputRequired } = sdk();
  const codec = codecFor(host);
  const server = new (serverClassFor(host))(host.serverInfo, {
    capabilities: host.capabilities(),
    ...(host.instructions === undefined ? {} : { instructions: host.instructions }),
    requestState: { verify: codec.verify },
  });
  server.mcpkitOptions = options;
  wrapNotifications(host, server);

  // One handler for every host method (it reads the method from the request): a server is built
  // per HTTP session, and ten closures each with its own scope were a measurable part of one.
  const handler = async (request: { params?: Record<string, unknown> }, ctx: ServerContext): Promise<unknown> => {
    const method = ctx.mcpReq.method as HostMethod;
    const params = (request.params ?? {}) as Record<string, unknown>;
    const name = componentName(method, params);
    const pending: InputRequiredInterrupt[] = [];
    const call = buildCall(server, ctx, options, name, pending);
    let result: Record<string, unknown> | undefined;
    try {
      result = await host.handle(method, params, call);
    } catch (error) {
      if (error instanceof InputRequiredInterrupt && !pending.includes(error)) pending.push(error);
      if (pending.length === 0) throw toProtocolError(error);
    }
    if (pending.length > 0) {
      // Every question recorded in this run, merged: a handler (or middleware)
      // that caught the interrupt, or asked in parallel, still gets asked.
      const asks = Object.assign({}, ...pending.map((p) => p.asks)) as Record<string, InputAsk>;
      const carried = Object.assign({}, ...pending.map((p) => p.carried)) as Record<string, unknown>;
      return inputRequired({ inputRequests: toInputRequests(asks), requestState: await codec.mint({ n: name, c: carried }, ctx) });
    }
    if (method === "tools/call") {
      const schema = (result as Record<symbol, unknown>)[OUTPUT_SCHEMA] as Record<string, unknown> | undefined;
      return server.projectCallToolResult(result as CallToolResult, schema);
    }
    if (method === "resources/subscribe" && typeof params.uri === "string") {
      options.connections?.subscribe(server, params.uri);
    } else if (method === "resources/unsubscribe" && typeof params.uri === "string") {
      options.connections?.unsubscribe(server, params.uri);
    }
    return result;
  };
  for (const method of HOST_METHODS) server.setRequestHandler(method, handler as never);
  options.connections?.add(server);
  return server;
}

const HOST_METHOD_SET: ReadonlySet<string> = new Set(HOST_METHODS);

type SdkHandler = (request: JSONRPCRequest, ctx: ServerContext) => Promise<Result>;

/** An SDK server whose every other request handler runs inside the host's middleware. */
type WrappingServer = Server & { mcpkitOptions: SdkServerOptions };

const serverClasses = new WeakMap<ProtocolHost, new (...args: ConstructorParameters<typeof Server>) => WrappingServer>();

/**
 * One `Server` subclass per host. Its `_wrapHandler` hook (the SDK's own seam,
 * called for every handler registered, including `initialize`, `ping` and
 * handlers a serving entry installs later) routes the methods mcpkit does not
 * dispatch itself through `host.around`, so middleware sees every request.
 */
function serverClassFor(host: ProtocolHost): new (...args: ConstructorParameters<typeof Server>) => WrappingServer {
  let cls = serverClasses.get(host);
  if (cls === undefined) {
    const around = host.around?.bind(host);
    cls = class extends sdk().Server {
      declare mcpkitOptions: SdkServerOptions;
      protected override _wrapHandler(method: string, handler: SdkHandler): SdkHandler {
        const inner = super._wrapHandler(method, handler);
        if (around === undefined || HOST_METHOD_SET.has(method)) return inner;
        return async (request, ctx) => {
          if (isHandshakeReplay(request)) return inner(request, ctx);
          const params = (request.params ?? {}) as Record<string, unknown>;
          const call = buildCall(this as unknown as Server, ctx, this.mcpkitOptions ?? { transport: "memory" }, `${method}:`, []);
          try {
            return (await around("request", method, params, call, () => inner(request, ctx))) as Result;
          } catch (error) {
            throw toProtocolError(error);
          }
        };
      }
    } as unknown as new (...args: ConstructorParameters<typeof Server>) => WrappingServer;
    serverClasses.set(host, cls);
  }
  return cls;
}

type NotificationHandler = (notification: { method: string; params?: Record<string, unknown> }, ...rest: unknown[]) => Promise<void>;

/**
 * Route client notifications (`initialized`, `cancelled`, `roots/list_changed`...)
 * through `host.around` as well. The SDK keeps them in a map it fills in its
 * constructors; wrapping the stored entries keeps its own handling intact.
 */
function wrapNotifications(host: ProtocolHost, server: Server): void {
  const around = host.around?.bind(host);
  if (around === undefined) return;
  // Registered so that middleware hears about it; the SDK has no handler of its own for it.
  server.setNotificationHandler("notifications/roots/list_changed", () => undefined);
  const handlers = (server as unknown as { _notificationHandlers?: Map<string, NotificationHandler> })._notificationHandlers;
  if (!(handlers instanceof Map)) return;
  for (const [method, handler] of handlers) {
    handlers.set(method, (notification, ...rest) =>
      around("notification", method, notification.params ?? {}, undefined, () => handler(notification, ...rest)) as Promise<void>,
    );
  }
}

function componentName(method: HostMethod, params: Record<string, unknown>): string {
  const value = method === "resources/read" ? params.uri : params.name;
  return `${method}:${typeof value === "string" ? value : ""}`;
}

function toInputRequests(asks: Readonly<Record<string, InputAsk>>): Record<string, InputRequest> {
  const out: Record<string, InputRequest> = {};
  for (const [key, ask] of Object.entries(asks)) {
    out[key] = { method: methodFor(ask), params: ask.params } as unknown as InputRequest;
  }
  return out;
}

function methodFor(ask: InputAsk): string {
  if (ask.kind === "elicitation") return "elicitation/create";
  if (ask.kind === "sampling") return "sampling/createMessage";
  return "roots/list";
}

function isModern(version: string | undefined): boolean {
  return version !== undefined && version >= "2026-07-28";
}

function buildCall(
  server: Server,
  ctx: ServerContext,
  options: SdkServerOptions,
  name: string,
  pending: InputRequiredInterrupt[],
): ProtocolCall {
  const era = isModern(server.getNegotiatedProtocolVersion()) ? "modern" : "legacy";
  const meta = ctx.mcpReq._meta as Record<string, unknown> | undefined;
  // A modern request declares the client's capabilities and identity in its own
  // `_meta` envelope; the SDK server only records them from a legacy `initialize`,
  // so `server.getClientCapabilities()` is undefined in the modern era.
  const envelope = era === "modern" ? (ctx.mcpReq.envelope as Record<string, unknown> | undefined) : undefined;
  const token = meta?.progressToken;
  const state = ctx.mcpReq.requestState<CarriedState>();
  if (state !== undefined && (typeof state !== "object" || state.n !== name)) {
    const { ProtocolError, ProtocolErrorCode } = sdk();
    throw new ProtocolError(ProtocolErrorCode.InvalidParams, "Invalid or expired requestState", {
      reason: "invalid_request_state",
    });
  }
  return {
    era,
    method: ctx.mcpReq.method,
    requestId: ctx.mcpReq.id,
    meta,
    progressToken: typeof token === "string" || typeof token === "number" ? token : undefined,
    sessionId: ctx.sessionId,
    signal: ctx.mcpReq.signal,
    httpRequest: ctx.http?.req,
    authInfo: ctx.http?.authInfo,
    transport: options.transport,
    clientCapabilities: () =>
      envelope === undefined ? server.getClientCapabilities() : (envelope[sdk().CLIENT_CAPABILITIES_META_KEY] as ClientCapabilities | undefined),
    clientInfo: () => (envelope === undefined ? server.getClientVersion() : (envelope[sdk().CLIENT_INFO_META_KEY] as Implementation | undefined)),
    protocolVersion: () => server.getNegotiatedProtocolVersion(),
    notify: (method, params) => ctx.mcpReq.notify({ method, params } as never),
    log: (level, data, logger) => ctx.mcpReq.log(level, data, logger),
    push: (ask) => pushRequest(server, era, ask, (request) => ctx.mcpReq.send(request as never) as Promise<unknown>),
    inputResponses: ctx.mcpReq.inputResponses,
    carriedResponses: state?.c ?? {},
    needInput: (interrupt) => {
      if (era === "modern" && !pending.includes(interrupt)) pending.push(interrupt);
    },
    closeSSE: () => ctx.http?.closeSSE?.(),
  };
}

/**
 * A server-to-client request (legacy sessions only), after the checks that
 * give a clear error instead of a request the client cannot answer. `send`
 * puts it on the wire (tied to the current request where the transport can).
 */
export async function pushRequest(
  server: Pick<LaneServer, "getClientCapabilities">,
  era: "legacy" | "modern",
  ask: InputAsk,
  send: (request: { method: string; params: Record<string, unknown> }) => Promise<unknown>,
): Promise<Record<string, unknown>> {
  if (era === "modern") {
    throw new McpkitError(ErrorCodes.INVALID_STATE, "Push requests do not exist in the modern protocol era");
  }
  const caps = server.getClientCapabilities();
  if (caps === undefined) {
    throw new McpkitError(
      ErrorCodes.NO_CLIENT_CHANNEL,
      `Cannot send ${methodFor(ask)} to the client: this connection has no session (stateless HTTP). Serve HTTP with sessions enabled, or use a modern-era client.`,
    );
  }
  if (!declares(caps, ask.kind)) {
    // `data.capability` lets the error mapping fill `requiredCapabilities` on the -32021 error.
    throw new McpkitError(ErrorCodes.CAPABILITY_MISSING, `The client did not declare the '${ask.kind}' capability`, {
      data: { capability: ask.kind },
    });
  }
  const result = await send({ method: methodFor(ask), params: ask.params });
  return result as Record<string, unknown>;
}

function declares(caps: ClientCapabilities, kind: InputAsk["kind"]): boolean {
  return caps[kind] !== undefined;
}
