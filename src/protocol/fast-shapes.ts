import { toWireError } from "./error-mapping.js";
import type { HostMethod } from "./host.js";
import type { ClientCapabilities, Implementation, JSONRPCMessage } from "./wire.js";

/**
 * What the fast paths (src/protocol/fast-lane.ts for long-lived connections,
 * src/protocol/http-fast.ts for HTTP) share: which requests they answer, the
 * params shapes they accept, and how an answer is put on the wire with the
 * SDK server's own codec so both paths write identical results.
 */

/** The requests answered on a fast path: the ones a busy server sees all day. */
export const FAST_METHODS: ReadonlySet<string> = new Set<HostMethod>([
  "tools/call",
  "tools/list",
  "resources/read",
  "resources/list",
  "resources/templates/list",
  "prompts/get",
  "prompts/list",
]);

export const VERSION_KEY = "io.modelcontextprotocol/protocolVersion";
export const CAPABILITIES_KEY = "io.modelcontextprotocol/clientCapabilities";
export const CLIENT_INFO_KEY = "io.modelcontextprotocol/clientInfo";
export const LOG_LEVEL_KEY = "io.modelcontextprotocol/logLevel";
const SERVER_INFO_KEY = "io.modelcontextprotocol/serverInfo";

/** The envelope keys a 2026-07-28 request carries in `_meta`; the SDK lifts them out before the handler sees `_meta`. */
export const ENVELOPE_KEYS: readonly string[] = [VERSION_KEY, CLIENT_INFO_KEY, CAPABILITIES_KEY, LOG_LEVEL_KEY];

/** The SDK's per-era wire codec: how results and error codes are written for the negotiated era. */
export interface WireCodec {
  /** The protocol revision the codec writes: `2026-07-28` for the modern era. */
  readonly era: string;
  encodeResult(method: string, result: unknown, serverInfo: unknown): Record<string, unknown>;
  encodeErrorCode(code: number): number;
}

/** Symbol-keyed (never serialised) slot where the dispatcher leaves a tool's output JSON Schema. */
export const OUTPUT_SCHEMA = Symbol.for("mcpkit.outputSchema");

/**
 * What a fast-path call reads of the server it answers for: an SDK `Server`
 * (whose codec and state are internal to the SDK, pinned to a minor version in
 * package.json; the parity tests over every transport and the conformance
 * suite catch a change), or, on a long-lived connection the SDK has not been
 * needed on yet, the connection's own handshake record
 * (src/protocol/bare-connection.ts), which has the same members.
 */
export interface LaneServer {
  readonly transport: unknown;
  getNegotiatedProtocolVersion(): string | undefined;
  getClientCapabilities(): ClientCapabilities | undefined;
  getClientVersion(): Implementation | undefined;
  projectCallToolResult(result: never, schema: Record<string, unknown> | undefined): unknown;
  /** A server-to-client request on the connection. */
  request(message: never): Promise<unknown>;
  _negotiatedWireCodec(): WireCodec;
  _outboundServerInfo(): unknown;
  /** Make ready to encode `result` (a bare connection loads the SDK for what only its codec writes). */
  prepare?(method: string, result: unknown): Promise<unknown> | undefined;
  /** The levels 2025-era clients set with `logging/setLevel`, by session (`undefined`: the connection). */
  readonly _loggingLevels?: ReadonlyMap<string | undefined, string> | undefined;
}

/** The SDK internals a template server's era is pinned through. */
interface PinnableServer {
  _negotiatedProtocolVersion: string | undefined;
}

/** An SDK server as the fast paths read it (its members are internal to the SDK, hence not in its type). */
export function laneServer(server: object): LaneServer {
  return server as LaneServer;
}

/** The codec `server` writes its answers with. */
export function codecOf(server: LaneServer): WireCodec {
  return server._negotiatedWireCodec();
}

/**
 * Mark a server that is never connected as speaking `version`, so its codec
 * and result projection are those of that era (the HTTP fast path keeps one
 * such template per era instead of building a server per request).
 */
export function pinEra<S extends object>(server: S, version: string | undefined): S {
  (server as unknown as PinnableServer)._negotiatedProtocolVersion = version;
  return server;
}

/**
 * The JSON-RPC result message for `result`, written as the SDK server
 * `server` writes it. A tool's result is projected first, unless it is an
 * `input_required` answer (`project` false), which the SDK writes as it is.
 */
export function resultMessage(server: LaneServer, id: string | number, method: string, result: Record<string, unknown>, project = true): JSONRPCMessage {
  const shaped = project && method === "tools/call" ? toolResult(server, result) : result;
  const codec = server._negotiatedWireCodec();
  const serverInfo = server._outboundServerInfo();
  const encoded = method === "tools/call" && codec.era === "2026-07-28" ? modernToolResult(shaped, serverInfo) : undefined;
  return { jsonrpc: "2.0", id, result: encoded ?? codec.encodeResult(method, shaped, serverInfo) } as JSONRPCMessage;
}

/**
 * The 2026-07-28 codec's encoding of a plain tool result, in one copy
 * instead of its three steps' three: `resultType: "complete"` stamped and
 * the server's identity added to `_meta` (a tool result is not cacheable,
 * carries no cache hint, and has none of the fields that revision deleted).
 * `undefined` for anything else (a result type or identity already there, a
 * non-object `_meta`), which the codec encodes. Only string keys are copied:
 * the symbol-keyed slots on mcpkit's results are never written to the wire.
 */
function modernToolResult(result: Record<string, unknown>, serverInfo: unknown): Record<string, unknown> | undefined {
  if (serverInfo === undefined || result.resultType !== undefined || result.capabilities !== undefined) return undefined;
  const meta = result._meta;
  if (meta !== undefined && (!isPlainObject(meta) || meta[SERVER_INFO_KEY] !== undefined)) return undefined;
  const out: Record<string, unknown> = {};
  for (const key in result) if (Object.hasOwn(result, key)) out[key] = result[key];
  out.resultType = "complete";
  out._meta = meta === undefined ? { [SERVER_INFO_KEY]: serverInfo } : { ...meta, [SERVER_INFO_KEY]: serverInfo };
  return out;
}

/** The JSON-RPC error message for a thrown `error`, mapped in the one place errors are mapped. */
export function errorMessage(server: LaneServer, id: string | number, error: unknown): JSONRPCMessage {
  const wireError = toWireError(error);
  const code = codecOf(server).encodeErrorCode(wireError.code);
  const data = wireError.data;
  return { jsonrpc: "2.0", id, error: { code, message: wireError.message, ...(data === undefined ? {} : { data }) } } as JSONRPCMessage;
}

/** The tool result as the SDK would put it on the wire: output projected, `content` always present. */
function toolResult(server: LaneServer, result: Record<string, unknown>): Record<string, unknown> {
  const schema = (result as Record<symbol, unknown>)[OUTPUT_SCHEMA] as Record<string, unknown> | undefined;
  const projected = server.projectCallToolResult(result as never, schema) as Record<string, unknown>;
  return projected.content === undefined ? { ...projected, content: [] } : projected;
}

/**
 * The params shapes a fast path answers itself. Anything else goes to the
 * SDK server, whose schema validation writes the canonical error. In the
 * modern era the envelope keys of `_meta` are expected (the SDK's
 * classification has validated them); in the legacy era any reserved key
 * sends the request to the SDK, which lifts or checks it.
 */
export function wellFormed(method: string, params: Record<string, unknown>, modern = false): boolean {
  if (typeof params !== "object" || params === null || Array.isArray(params)) return false;
  const meta = params._meta;
  if (meta !== undefined && !(isPlainObject(meta) && plainMeta(meta, modern))) return false;
  // The SDK lifts and checks the multi-round-trip fields, and validates the (deprecated) task augmentation.
  if ("requestState" in params || "inputResponses" in params || "task" in params) return false;
  switch (method) {
    case "tools/call":
      return typeof params.name === "string" && (params.arguments === undefined || isPlainObject(params.arguments));
    case "prompts/get":
      return typeof params.name === "string" && (params.arguments === undefined || (isPlainObject(params.arguments) && Object.values(params.arguments).every((v) => typeof v === "string")));
    case "resources/read":
      return typeof params.uri === "string";
    default:
      return params.cursor === undefined || typeof params.cursor === "string";
  }
}

/**
 * A `_meta` the SDK would hand to the handler unchanged (but for the envelope
 * it lifts out): a well-typed progress token (the SDK drops a request with
 * any other as not a message at all) and no other reserved
 * `io.modelcontextprotocol/` keys, which it lifts out or validates.
 */
function plainMeta(meta: Record<string, unknown>, modern: boolean): boolean {
  const token = meta.progressToken;
  if (token !== undefined && typeof token !== "string" && !Number.isSafeInteger(token)) return false;
  for (const key in meta) {
    if (key.startsWith("io.modelcontextprotocol/") && !(modern && ENVELOPE_KEYS.includes(key))) return false;
  }
  return true;
}

/** `_meta` without the envelope keys, as the SDK hands it to handlers: `undefined` when nothing is left. */
export function withoutEnvelope(meta: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (meta === undefined) return undefined;
  let rest: Record<string, unknown> | undefined;
  for (const key in meta) {
    if (ENVELOPE_KEYS.includes(key)) continue;
    (rest ??= {})[key] = meta[key];
  }
  return rest;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
