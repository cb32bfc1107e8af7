import {
  classifyInboundRequest,
  inputRequired,
  MissingRequiredClientCapabilityError,
  SUPPORTED_PROTOCOL_VERSIONS,
  type Server,
} from "@modelcontextprotocol/server";
import { CAPABILITIES_KEY, CLIENT_INFO_KEY, HttpCall, LOG_LEVEL_KEY, VERSION_KEY, type HttpCallInit } from "./http-call.js";
import { Exchange, type ExchangeMode, type FastHttpReply, type FastHttpRequest } from "./http-exchange.js";
import { errorMessage, FAST_METHODS, isPlainObject, pinEra, resultMessage, wellFormed, withoutEnvelope } from "./fast-shapes.js";
import { InputRequiredInterrupt, type HostMethod, type InputAsk, type ProtocolHost } from "./host.js";
import { createSdkServer, mintRequestState } from "./sdk-server.js";
import type { JSONRPCMessage } from "./wire.js";

/** The protocol revision a request names in its `mcp-protocol-version` header when it is served per request. */
export const MODERN = "2026-07-28";
const LEGACY_VERSIONS: ReadonlySet<string> = new Set(SUPPORTED_PROTOCOL_VERSIONS.filter((v) => v < MODERN));
const ENVELOPE_CACHE_SIZE = 1024;

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
  /** The SDK's verdict on each envelope seen (see `envelopeValid`). */
  private readonly envelopes = new Map<string, boolean>();
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
   * true, or return false for the SDK path. JSON response mode only: an
   * event stream on a session is stored for resumption, which the session's
   * own transport does.
   */
  offerSession(body: unknown, server: Server, sessionId: string, request: FastHttpRequest, reply: FastHttpReply, done: () => void): boolean {
    if (this.responseMode !== "json") return false;
    const candidate = candidateOf(body);
    if (candidate === undefined || server.getNegotiatedProtocolVersion() === undefined || !this.legacyReady(candidate, request)) return false;
    const exchange = new Exchange(reply, "json", { "mcp-session-id": sessionId });
    this.start(candidate, server, "legacy", sessionId, exchange, request, reply, done);
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
    if (!wellFormed(method, params, true) || !this.envelopeValid(body, params, version, methodHeader, request)) return false;
    const mode: ExchangeMode = this.responseMode === "auto" ? "lazy" : this.responseMode;
    const exchange = new Exchange(reply, mode);
    this.start(candidate, this.modern, "modern", undefined, exchange, request, reply, undefined);
    return true;
  }

  /**
   * Whether the SDK classifies the request as a valid 2026-07-28 request:
   * its envelope well-formed, its headers and body in agreement. The SDK's
   * classification validates the envelope with a schema (about 12 µs a
   * request); a client sends the same envelope on every request, so its
   * verdict is remembered per envelope. The version and method headers are
   * checked against the body on every request, as the SDK checks them.
   */
  private envelopeValid(body: unknown, params: Record<string, unknown>, version: string, methodHeader: string, request: FastHttpRequest): boolean {
    const meta = params._meta;
    if (!isPlainObject(meta) || meta[VERSION_KEY] !== MODERN) return false;
    const key = `${JSON.stringify(meta[CLIENT_INFO_KEY]) ?? "-"}\0${JSON.stringify(meta[CAPABILITIES_KEY]) ?? "-"}\0${JSON.stringify(meta[LOG_LEVEL_KEY]) ?? "-"}`;
    const known = this.envelopes.get(key);
    if (known !== undefined) return known;
    const outcome = classifyInboundRequest({ httpMethod: "POST", protocolVersionHeader: version, mcpMethodHeader: methodHeader, mcpNameHeader: request.header("mcp-name"), body } as never) as {
      kind: string;
      classification?: { revision?: string };
    };
    const valid = outcome.kind === "modern" && outcome.classification?.revision === MODERN;
    // Bounded: a client minting a new envelope per request cannot grow it without limit.
    if (this.envelopes.size >= ENVELOPE_CACHE_SIZE) this.envelopes.clear();
    this.envelopes.set(key, valid);
    return valid;
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
  ): void {
    const { id, method, params } = candidate;
    const meta = params._meta as Record<string, unknown> | undefined;
    const init: HttpCallInit = {
      id,
      method,
      params,
      server,
      era,
      // A modern request's envelope lives in its `_meta`; the handler sees `_meta` without it.
      envelope: era === "modern" ? meta : undefined,
      meta: era === "modern" ? withoutEnvelope(meta) : meta,
      sessionId,
      exchange,
      request,
      reply,
      logging: this.logging,
      done,
    };
    void this.run(new HttpCall(init));
  }

  private async run(call: HttpCall): Promise<void> {
    const init = call.init;
    const { server, id, method, exchange } = init;
    let message: JSONRPCMessage;
    let status = 200;
    try {
      const result = await this.host.handle(method as HostMethod, init.params, call);
      message = call.pending.length > 0 ? await this.inputRequired(call, call.pending) : resultMessage(server, id, method, result);
    } catch (error) {
      const pending = call.pending;
      if (error instanceof InputRequiredInterrupt && !pending.includes(error)) pending.push(error);
      try {
        if (pending.length === 0) throw error;
        message = await this.inputRequired(call, pending);
      } catch (failure) {
        message = errorMessage(server, id, failure);
        // The one handler-produced error the SDK answers with an HTTP error status.
        if (failure instanceof MissingRequiredClientCapabilityError) status = 400;
      }
    }
    exchange.finish(message, status);
    init.done?.();
  }

  /**
   * The `input_required` answer for every question recorded in this run, with
   * the request state minted as the SDK path mints it, after the SDK's check
   * that the request's declared capabilities cover each question.
   */
  private async inputRequired(call: HttpCall, pending: readonly InputRequiredInterrupt[]): Promise<JSONRPCMessage> {
    const run = call.init;
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
