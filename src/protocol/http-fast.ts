import {
  classifyInboundRequest,
  inputRequired,
  MissingRequiredClientCapabilityError,
  SUPPORTED_PROTOCOL_VERSIONS,
  type Server,
} from "@modelcontextprotocol/server";
import { Exchange, type ExchangeMode, type FastHttpReply, type FastHttpRequest } from "./http-exchange.js";
import { errorMessage, FAST_METHODS, isPlainObject, pinEra, resultMessage, wellFormed, withoutEnvelope } from "./fast-shapes.js";
import { InputRequiredInterrupt, type HostMethod, type InputAsk, type ProtocolCall, type ProtocolHost } from "./host.js";
import { createSdkServer, mintRequestState, pushRequest } from "./sdk-server.js";
import type { ClientCapabilities, Implementation, JSONRPCMessage, LoggingLevel } from "./wire.js";

/** The protocol revision a request names in its `mcp-protocol-version` header when it is served per request. */
export const MODERN = "2026-07-28";
const LEGACY_VERSIONS: ReadonlySet<string> = new Set(SUPPORTED_PROTOCOL_VERSIONS.filter((v) => v < MODERN));
const SEVERITY: readonly LoggingLevel[] = ["debug", "info", "notice", "warning", "error", "critical", "alert", "emergency"];
const VERSION_KEY = "io.modelcontextprotocol/protocolVersion";
const CAPABILITIES_KEY = "io.modelcontextprotocol/clientCapabilities";
const CLIENT_INFO_KEY = "io.modelcontextprotocol/clientInfo";
const LOG_LEVEL_KEY = "io.modelcontextprotocol/logLevel";

/** A well-formed request the fast path may answer. */
interface Candidate {
  readonly id: string | number;
  readonly method: HostMethod;
  readonly params: Record<string, unknown>;
}

/** One answer in progress: where it goes and what the handler may read about its client. */
interface Run extends Candidate {
  readonly server: Server;
  readonly era: "legacy" | "modern";
  readonly envelope: Record<string, unknown> | undefined;
  readonly sessionId: string | undefined;
  readonly exchange: Exchange;
  readonly request: FastHttpRequest;
  readonly reply: FastHttpReply;
  /** Runs once the handler has finished, answered or not. */
  readonly done?: (() => void) | undefined;
}

/**
 * Answers the common HTTP requests (tool calls, reads, prompts, lists)
 * straight from the host, without building an SDK server, a transport and
 * web streams per request, for modern (2026-07-28) requests and for 2025-era
 * requests served statelessly or on an established session. Only requests
 * the SDK would accept as they are take this path: anything it would reject,
 * and every other method, goes to the SDK path, which writes the canonical
 * answer. Results and errors are written with the SDK server's own codec,
 * and the parity tests (test/http-fast-parity.test.ts) hold both paths to
 * the same answers.
 */
export class HttpFastPath {
  /** Never connected; their codecs and result projection are those of their era. */
  private readonly modern: Server;
  private readonly legacy: Server;

  constructor(
    private readonly host: ProtocolHost,
    private readonly responseMode: "auto" | "json" | "sse",
    private readonly legacyStateless: boolean,
  ) {
    this.modern = pinEra(createSdkServer(host, { transport: "http" }), MODERN);
    this.legacy = createSdkServer(host, { transport: "http" });
  }

  /** Answer a request without a session here and return true, or return false for the SDK path. */
  offer(body: unknown, request: FastHttpRequest, reply: FastHttpReply): boolean {
    const candidate = candidateOf(body);
    if (candidate === undefined) return false;
    const version = request.header("mcp-protocol-version");
    if (version === MODERN) return this.offerModern(candidate, body, version, request, reply);
    if (!this.legacyStateless || request.header("mcp-session-id") !== undefined) return false;
    if (!this.legacyReady(candidate, request)) return false;
    // The SDK's stateless 2025-era serving answers with an event stream unless JSON responses are asked for.
    const exchange = new Exchange(reply, this.responseMode === "json" ? "json" : "sse");
    void this.run({ ...candidate, server: this.legacy, era: "legacy", envelope: undefined, sessionId: undefined, exchange, request, reply });
    return true;
  }

  /**
   * Answer a request on an established 2025-era session here and return
   * true, or return false for the SDK path. JSON response mode only: an
   * event stream on a session is stored for resumption, which the session's
   * own transport does.
   */
  offerSession(body: unknown, server: Server, sessionId: string, request: FastHttpRequest, reply: FastHttpReply, done: () => void): boolean {
    if (this.responseMode !== "json") return false;
    const candidate = candidateOf(body);
    if (candidate === undefined || server.getNegotiatedProtocolVersion() === undefined || !this.legacyReady(candidate, request)) return false;
    const exchange = new Exchange(reply, "json", { "mcp-session-id": sessionId });
    void this.run({ ...candidate, server, era: "legacy", envelope: undefined, sessionId, exchange, request, reply, done });
    return true;
  }

  /** The checks the SDK's 2025-era transport makes before dispatching, and the params shape. */
  private legacyReady(candidate: Candidate, request: FastHttpRequest): boolean {
    const version = request.header("mcp-protocol-version");
    if (version !== undefined && !LEGACY_VERSIONS.has(version)) return false;
    const accept = request.header("accept");
    if (accept === undefined || !accept.includes("application/json") || !accept.includes("text/event-stream")) return false;
    return wellFormed(candidate.method, candidate.params);
  }

  private offerModern(candidate: Candidate, body: unknown, version: string, request: FastHttpRequest, reply: FastHttpReply): boolean {
    const { method, params } = candidate;
    const methodHeader = request.header("mcp-method");
    if (methodHeader !== method) return false;
    const named = method === "resources/read" ? params.uri : method === "tools/call" || method === "prompts/get" ? params.name : undefined;
    if (named !== undefined && request.header("mcp-name") !== named) return false;
    // The SDK's own classification: envelope shape, header and body agreement.
    const outcome = classifyInboundRequest({ httpMethod: "POST", protocolVersionHeader: version, mcpMethodHeader: methodHeader, mcpNameHeader: request.header("mcp-name"), body } as never) as {
      kind: string;
      classification?: { revision?: string };
    };
    if (outcome.kind !== "modern" || outcome.classification?.revision !== MODERN || !wellFormed(method, params, true)) return false;
    const envelope = params._meta as Record<string, unknown>;
    const mode: ExchangeMode = this.responseMode === "auto" ? "lazy" : this.responseMode;
    const exchange = new Exchange(reply, mode);
    void this.run({ ...candidate, server: this.modern, era: "modern", envelope, sessionId: undefined, exchange, request, reply });
    return true;
  }

  private async run(run: Run): Promise<void> {
    const pending: InputRequiredInterrupt[] = [];
    const controller: { signal?: AbortController; gone: boolean } = { gone: false };
    run.reply.onAbort(() => {
      controller.gone = true;
      run.exchange.abandon();
      controller.signal?.abort();
    });
    let message: JSONRPCMessage;
    let status = 200;
    try {
      const result = await this.host.handle(run.method, run.params, this.call(run, pending, controller));
      message = pending.length > 0 ? await this.inputRequired(run, pending) : resultMessage(run.server, run.id, run.method, result);
    } catch (error) {
      if (error instanceof InputRequiredInterrupt && !pending.includes(error)) pending.push(error);
      try {
        if (pending.length === 0) throw error;
        message = await this.inputRequired(run, pending);
      } catch (failure) {
        message = errorMessage(run.server, run.id, failure);
        // The one handler-produced error the SDK answers with an HTTP error status.
        if (failure instanceof MissingRequiredClientCapabilityError) status = 400;
      }
    }
    run.exchange.finish(message, status);
    run.done?.();
  }

  /**
   * The `input_required` answer for every question recorded in this run, with
   * the request state minted as the SDK path mints it, after the SDK's check
   * that the request's declared capabilities cover each question.
   */
  private async inputRequired(run: Run, pending: readonly InputRequiredInterrupt[]): Promise<JSONRPCMessage> {
    if (run.era !== "modern") throw pending[0];
    const asks = Object.assign({}, ...pending.map((p) => p.asks)) as Record<string, InputAsk>;
    const carried = Object.assign({}, ...pending.map((p) => p.carried)) as Record<string, unknown>;
    const declared = run.envelope?.[CAPABILITIES_KEY] as Record<string, unknown> | undefined;
    const inputRequests: Record<string, unknown> = {};
    for (const [key, ask] of Object.entries(asks)) {
      const embedded = embeddedRequest(ask);
      const missing = missingCapabilities(ask, declared);
      if (missing !== undefined) {
        throw new MissingRequiredClientCapabilityError(
          { requiredCapabilities: missing },
          `Cannot request input '${key}' (${embedded.method}): the request's client capabilities do not declare the required capability`,
        );
      }
      inputRequests[key] = embedded;
    }
    const name = `${run.method}:${String(run.method === "resources/read" ? run.params.uri : run.params.name ?? "")}`;
    const requestState = await mintRequestState(this.host, { n: name, c: carried }, run.method, undefined);
    return resultMessage(run.server, run.id, run.method, inputRequired({ inputRequests, requestState } as never) as Record<string, unknown>, false);
  }

  private call(run: Run, pending: InputRequiredInterrupt[], controller: { signal?: AbortController; gone: boolean }): ProtocolCall {
    const { server, era, envelope, exchange, request, sessionId } = run;
    const meta = era === "modern" ? withoutEnvelope(run.params._meta as Record<string, unknown> | undefined) : (run.params._meta as Record<string, unknown> | undefined);
    const token = meta?.progressToken;
    const host = this.host;
    let webRequest: Request | undefined;
    const notify = (method: string, params: Record<string, unknown>) => {
      exchange.notify({ jsonrpc: "2.0", method, params } as JSONRPCMessage);
      return Promise.resolve();
    };
    return {
      era,
      method: run.method,
      requestId: run.id,
      meta,
      progressToken: typeof token === "string" || typeof token === "number" ? token : undefined,
      sessionId,
      get signal() {
        if (controller.signal === undefined) {
          controller.signal = new AbortController();
          if (controller.gone) controller.signal.abort();
        }
        return controller.signal.signal;
      },
      get httpRequest() {
        return (webRequest ??= request.webRequest());
      },
      authInfo: undefined,
      transport: "http",
      clientCapabilities: () => (era === "modern" ? (envelope?.[CAPABILITIES_KEY] as ClientCapabilities | undefined) : server.getClientCapabilities()),
      clientInfo: () => (era === "modern" ? (envelope?.[CLIENT_INFO_KEY] as Implementation | undefined) : server.getClientVersion()),
      protocolVersion: () => (era === "modern" ? (envelope?.[VERSION_KEY] as string) : server.getNegotiatedProtocolVersion()),
      notify,
      log: (level, data, logger) => {
        if (host.capabilities().logging === undefined) return Promise.resolve();
        const threshold = era === "modern" ? (envelope?.[LOG_LEVEL_KEY] as LoggingLevel | undefined) : legacyLevel(server, sessionId);
        // A modern request that names no level asks for no log messages.
        if (era === "modern" && threshold === undefined) return Promise.resolve();
        if (threshold !== undefined && SEVERITY.indexOf(level) < SEVERITY.indexOf(threshold)) return Promise.resolve();
        return notify("notifications/message", { level, data, ...(logger === undefined ? {} : { logger }) });
      },
      // Unrelated to the request: on a session it goes out on the standalone stream.
      push: (ask) => pushRequest(server, era, ask, (message) => server.request(message as never) as Promise<unknown>),
      inputResponses: undefined,
      carriedResponses: {},
      needInput: (interrupt) => {
        if (era === "modern" && !pending.includes(interrupt)) pending.push(interrupt);
      },
      closeSSE: () => undefined,
    };
  }
}

/** The request if it is one the fast path could answer: a JSON-RPC request to a fast method. */
function candidateOf(body: unknown): Candidate | undefined {
  if (!isPlainObject(body) || body.jsonrpc !== "2.0") return undefined;
  const { id, method } = body;
  if (typeof id !== "string" && !(typeof id === "number" && Number.isSafeInteger(id))) return undefined;
  if (typeof method !== "string" || !FAST_METHODS.has(method)) return undefined;
  const params = body.params === undefined ? {} : body.params;
  if (!isPlainObject(params)) return undefined;
  return { id, method: method as HostMethod, params };
}

/** The level a 2025-era client set with `logging/setLevel` (on its session, or for all). */
function legacyLevel(server: Server, sessionId: string | undefined): LoggingLevel | undefined {
  const levels = (server as unknown as { _loggingLevels?: Map<string | undefined, LoggingLevel> })._loggingLevels;
  return levels?.get(sessionId) ?? levels?.get(undefined);
}

function embeddedRequest(ask: InputAsk): { method: string; params: Record<string, unknown> } {
  const method = ask.kind === "elicitation" ? "elicitation/create" : ask.kind === "sampling" ? "sampling/createMessage" : "roots/list";
  return { method, params: ask.params };
}

/**
 * The capabilities a question needs that the request did not declare, or
 * `undefined`: the SDK's rule (a URL elicitation needs `elicitation.url`, a
 * form one `elicitation.form` or a bare `elicitation`, sampling with tools
 * `sampling.tools`).
 */
function missingCapabilities(ask: InputAsk, declared: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  const caps = declared ?? {};
  if (ask.kind === "roots") return caps.roots === undefined ? { roots: {} } : undefined;
  if (ask.kind === "sampling") {
    const withTools = ask.params.tools !== undefined || ask.params.toolChoice !== undefined;
    const sampling = caps.sampling as Record<string, unknown> | undefined;
    if (sampling === undefined) return withTools ? { sampling: { tools: {} } } : { sampling: {} };
    return withTools && sampling.tools === undefined ? { sampling: { tools: {} } } : undefined;
  }
  const mode = ask.params.mode === "url" ? "url" : "form";
  const elicitation = caps.elicitation as Record<string, unknown> | undefined;
  if (elicitation === undefined) return { elicitation: { [mode]: {} } };
  const bare = elicitation.form === undefined && elicitation.url === undefined;
  if (elicitation[mode] !== undefined || (mode === "form" && bare)) return undefined;
  return { elicitation: { [mode]: {} } };
}
