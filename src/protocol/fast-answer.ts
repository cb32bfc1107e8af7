import type { FastCall } from "./fast-call.js";
import { CAPABILITIES_KEY, CLIENT_INFO_KEY, errorMessage, isPlainObject, LOG_LEVEL_KEY, resultMessage, VERSION_KEY } from "./fast-shapes.js";
import { InputRequiredInterrupt, type HostMethod, type InputAsk, type ProtocolHost } from "./host.js";
import { loadedSdk, sdk } from "./sdk-loader.js";
import { mintRequestState } from "./sdk-server.js";
import { MODERN } from "./versions.js";
import type { JSONRPCMessage } from "./wire.js";

export { MODERN };

/** How many envelopes' verdicts are kept: clients on one connection or server rarely send more than a few. */
const RECENT_ENVELOPES = 16;

/**
 * Run a fast-path call through the host and put its answer in its outbox:
 * the result, an `input_required` answer for the questions it recorded
 * (modern era), or the mapped error, each written with the codec of the
 * SDK server the call was made with.
 */
export async function answer(host: ProtocolHost, call: FastCall): Promise<void> {
  const init = call.init;
  const { server, id, method } = init;
  let message: JSONRPCMessage;
  let status = 200;
  try {
    const result = await host.handle(method as HostMethod, init.params, call);
    const preparing = server.prepare?.(method, result);
    if (preparing !== undefined) await preparing;
    message = call.pending.length > 0 ? await inputRequiredMessage(host, call) : resultMessage(server, id, method, result);
  } catch (error) {
    const pending = call.pending;
    if (error instanceof InputRequiredInterrupt && call.era === "modern" && !pending.includes(error)) pending.push(error);
    try {
      if (pending.length === 0) throw error;
      message = await inputRequiredMessage(host, call);
    } catch (failure) {
      message = errorMessage(server, id, failure);
      // The one handler-produced error the SDK's HTTP transports answer with an error status.
      const loaded = loadedSdk();
      if (loaded !== undefined && failure instanceof loaded.server.MissingRequiredClientCapabilityError) status = 400;
    }
  }
  init.outbox.finish(message, status);
  init.done?.();
}

/**
 * The `input_required` answer for every question the call recorded, with the
 * request state minted as the SDK path mints it, after the SDK's check that
 * the request's declared capabilities cover each question. Modern era only,
 * which the SDK has been loaded for.
 */
async function inputRequiredMessage(host: ProtocolHost, call: FastCall): Promise<JSONRPCMessage> {
  const { inputRequired, MissingRequiredClientCapabilityError } = sdk();
  const { pending, init } = call;
  const asks = Object.assign({}, ...pending.map((p) => p.asks)) as Record<string, InputAsk>;
  const carried = Object.assign({}, ...pending.map((p) => p.carried)) as Record<string, unknown>;
  const declared = call.envelope?.[CAPABILITIES_KEY] as Record<string, unknown> | undefined;
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
  const { method, params } = init;
  const name = `${method}:${String(method === "resources/read" ? params.uri : (params.name ?? ""))}`;
  const requestState = await mintRequestState(host, { n: name, c: carried }, method, undefined);
  return resultMessage(init.server, init.id, method, inputRequired({ inputRequests, requestState } as never) as Record<string, unknown>, false);
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

/** One envelope the SDK's classification has judged, kept to compare the next ones against. */
interface Verdict {
  readonly info: unknown;
  readonly capabilities: unknown;
  readonly level: unknown;
  readonly valid: boolean;
}

/**
 * Whether the SDK accepts a modern request's `_meta` envelope. The SDK
 * validates it with a schema (about 12 µs a request); a client sends the
 * same envelope on every request, so the verdicts on the last few envelopes
 * seen are kept, and a request whose envelope is equal to one of them (a
 * structural comparison, no allocation) gets its verdict. A client minting a
 * new envelope per request only pushes older verdicts out.
 */
export class EnvelopeCheck {
  private readonly recent: Verdict[] = [];

  /**
   * `body` is the whole request, `headers` the HTTP ones (none on a long-lived
   * connection); they take part in the SDK's classification on a miss.
   */
  valid(body: unknown, meta: unknown, headers: { version?: string | undefined; method?: string | undefined; name?: string | undefined } = {}): boolean {
    if (!isPlainObject(meta) || meta[VERSION_KEY] !== MODERN) return false;
    const info = meta[CLIENT_INFO_KEY];
    const capabilities = meta[CAPABILITIES_KEY];
    const level = meta[LOG_LEVEL_KEY];
    for (const seen of this.recent) {
      if (level === seen.level && sameJson(info, seen.info) && sameJson(capabilities, seen.capabilities)) return seen.valid;
    }
    const outcome = sdk().classifyInboundRequest({
      httpMethod: "POST",
      protocolVersionHeader: headers.version,
      mcpMethodHeader: headers.method,
      mcpNameHeader: headers.name,
      body,
    } as never) as { kind: string; classification?: { revision?: string } };
    const valid = outcome.kind === "modern" && outcome.classification?.revision === MODERN;
    // Copies: the request's own objects belong to its handler, which may change them.
    if (this.recent.length >= RECENT_ENVELOPES) this.recent.pop();
    this.recent.unshift({ info: structuredClone(info), capabilities: structuredClone(capabilities), level, valid });
    return valid;
  }
}

/** Deep equality of parsed JSON values (plain objects, arrays, primitives); key order does not matter. */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  let count = 0;
  for (const key in x) {
    if (!Object.hasOwn(x, key)) continue;
    if (!Object.hasOwn(y, key) || !sameJson(x[key], y[key])) return false;
    count++;
  }
  for (const key in y) if (Object.hasOwn(y, key)) count--;
  return count === 0;
}
