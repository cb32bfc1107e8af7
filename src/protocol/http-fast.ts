import type { Server } from "@modelcontextprotocol/server";
import { answer, EnvelopeCheck, MODERN } from "./fast-answer.js";
import { FastCall, type FastCallInit } from "./fast-call.js";
import { Exchange, type ExchangeMode, type FastHttpReply, type FastHttpRequest } from "./http-exchange.js";
import { FAST_METHODS, isPlainObject, laneServer, pinEra, wellFormed } from "./fast-shapes.js";
import type { HostMethod, ProtocolHost } from "./host.js";
import { createSdkServer } from "./sdk-server.js";
import { LEGACY_PROTOCOL_VERSIONS } from "./versions.js";

export { MODERN };

const LEGACY_VERSIONS: ReadonlySet<string> = new Set(LEGACY_PROTOCOL_VERSIONS);

/** A well-formed request the fast path may answer. */
interface Candidate {
  readonly id: string | number;
  readonly method: HostMethod;
  readonly params: Record<string, unknown>;
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
  private readonly envelopes = new EnvelopeCheck();
  private readonly logging: boolean;

  constructor(
    private readonly host: ProtocolHost,
    private readonly responseMode: "auto" | "json" | "sse",
    private readonly legacyStateless: boolean,
  ) {
    this.modern = pinEra(createSdkServer(host, { transport: "http" }), MODERN);
    this.legacy = createSdkServer(host, { transport: "http" });
    this.logging = host.capabilities().logging !== undefined;
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
    this.start(candidate, this.legacy, "legacy", undefined, exchange, request, reply, undefined);
    return true;
  }

  /**
   * Answer a request on an established 2025-era session here and return
   * its call, or `undefined` for the SDK path. JSON response mode only: an
   * event stream on a session is stored for resumption, which the session's
   * own transport does.
   */
  offerSession(body: unknown, server: Server, sessionId: string, request: FastHttpRequest, reply: FastHttpReply, done: () => void): FastCall | undefined {
    if (this.responseMode !== "json") return undefined;
    const candidate = candidateOf(body);
    if (candidate === undefined || server.getNegotiatedProtocolVersion() === undefined || !this.legacyReady(candidate, request)) return undefined;
    const exchange = new Exchange(reply, "json", { "mcp-session-id": sessionId });
    return this.start(candidate, server, "legacy", sessionId, exchange, request, reply, done);
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
    if (!wellFormed(method, params, true)) return false;
    if (!this.envelopes.valid(body, params._meta, { version, method: methodHeader, name: request.header("mcp-name") })) return false;
    const mode: ExchangeMode = this.responseMode === "auto" ? "lazy" : this.responseMode;
    const exchange = new Exchange(reply, mode);
    this.start(candidate, this.modern, "modern", undefined, exchange, request, reply, undefined);
    return true;
  }

  private start(
    candidate: Candidate,
    server: Server,
    era: "legacy" | "modern",
    sessionId: string | undefined,
    exchange: Exchange,
    request: FastHttpRequest,
    reply: FastHttpReply,
    done: (() => void) | undefined,
  ): FastCall {
    const { id, method, params } = candidate;
    const init: FastCallInit = {
      id,
      method,
      params,
      server: laneServer(server),
      era,
      sessionId,
      outbox: exchange,
      transport: "http",
      request,
      logging: this.logging,
      done,
    };
    const call = new FastCall(init);
    reply.onAbort(() => call.cancel());
    void answer(this.host, call);
    return call;
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
