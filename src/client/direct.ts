import { SdkClientError, SdkClientErrorCode, SdkProtocolError } from "../protocol/client/index.js";

/** The transport shape the channel rides on (the SDK's, structurally). */
interface Wire {
  onmessage?: ((message: Record<string, unknown>, extra?: unknown) => void) | undefined;
  onclose?: (() => void) | undefined;
  send(message: Record<string, unknown>): Promise<void>;
}

interface Pending {
  resolve(result: Record<string, unknown>): void;
  reject(error: Error): void;
  /** When it times out (`Date.now()` time). */
  readonly deadline: number;
  readonly timeoutMs: number;
}

/** Request ids of the channel: strings, so they never meet the SDK client's numeric ids. */
const PREFIX = "mcpkit:";

/**
 * A second, lighter way to send requests on an in-memory connection, beside
 * the SDK client sharing it: its own string ids, its own response matching,
 * and no schema validation of results (the in-memory server is a FastMCP
 * server, whose results are built and checked before they are sent). The
 * SDK client still owns the connection: the handshake, notifications,
 * server-to-client requests and every response that is not the channel's.
 * Timeouts behave as the SDK's: the server is told the request is cancelled
 * and the caller gets the SDK's timeout error.
 */
export class DirectChannel {
  private next = 0;
  private readonly pending = new Map<string, Pending>();
  private closed = false;
  /**
   * One timer for the channel, armed for the earliest deadline, instead of
   * one per request: arming and clearing a timer per call was a measurable
   * share of an in-memory call. It fires at most once per deadline passed.
   */
  private timer: ReturnType<typeof setTimeout> | undefined;
  private timerAt = Infinity;

  private constructor(private readonly wire: Wire) {}

  /**
   * Install the channel on `transport` before the SDK client connects: the
   * SDK sets the transport's `onmessage` and `onclose` when it connects, and
   * the channel wraps them as they are set.
   */
  static install(transport: object): DirectChannel {
    const wire = transport as Wire;
    const channel = new DirectChannel(wire);
    let onmessage: Wire["onmessage"];
    let onclose: Wire["onclose"];
    Object.defineProperty(transport, "onmessage", {
      configurable: true,
      get: () => onmessage,
      set: (handler: Wire["onmessage"]) => {
        onmessage =
          handler === undefined
            ? undefined
            : (message, extra) => {
                if (!channel.take(message)) handler(message, extra);
              };
      },
    });
    Object.defineProperty(transport, "onclose", {
      configurable: true,
      get: () => onclose,
      set: (handler: Wire["onclose"]) => {
        onclose = () => {
          channel.fail(new SdkClientError(SdkClientErrorCode.ConnectionClosed, "Connection closed"));
          handler?.();
        };
      },
    });
    return channel;
  }

  /** Send a request and resolve with its raw result; a JSON-RPC error rejects with the SDK's `ProtocolError`. */
  request(method: string, params: Record<string, unknown>, timeoutMs: number): Promise<Record<string, unknown>> {
    if (this.closed) return Promise.reject(new SdkClientError(SdkClientErrorCode.ConnectionClosed, "Connection closed"));
    const id = `${PREFIX}${this.next++}`;
    return new Promise((resolve, reject) => {
      const deadline = Date.now() + timeoutMs;
      this.pending.set(id, { resolve, reject, deadline, timeoutMs });
      if (deadline < this.timerAt) this.arm(deadline);
      else if (this.pending.size === 1) this.timer?.ref();
      this.wire.send({ jsonrpc: "2.0", id, method, params }).catch((error: unknown) => {
        this.settled(id);
        reject(error instanceof Error ? error : new Error(String(error)));
      });
    });
  }

  private arm(at: number): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => this.expire(), Math.max(0, at - Date.now()));
  }

  /**
   * A request is answered: with none left, the timer stays armed but no
   * longer keeps the process alive (as the SDK client's per-request timers,
   * cleared on answer, do not).
   */
  private settled(id: string): void {
    this.pending.delete(id);
    if (this.pending.size === 0) this.timer?.unref();
  }

  /** Time out every request past its deadline (the server is told they are cancelled), and re-arm for the next. */
  private expire(): void {
    this.timer = undefined;
    this.timerAt = Infinity;
    const now = Date.now();
    let next = Infinity;
    for (const [id, entry] of this.pending) {
      if (entry.deadline > now) {
        next = Math.min(next, entry.deadline);
        continue;
      }
      this.settled(id);
      void this.wire.send({ jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: id, reason: "Request timed out" } }).catch(() => undefined);
      entry.reject(new SdkClientError(SdkClientErrorCode.RequestTimeout, "Request timed out", { timeout: entry.timeoutMs }));
    }
    if (next !== Infinity) this.arm(next);
  }

  /** Fail every request still waiting (the connection is gone). */
  fail(error: Error): void {
    this.closed = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    for (const [id, entry] of this.pending) {
      this.pending.delete(id);
      entry.reject(error);
    }
  }

  /** Take a response to one of the channel's requests; anything else is the SDK client's. */
  private take(message: Record<string, unknown>): boolean {
    const id = message.id;
    if (typeof id !== "string" || !id.startsWith(PREFIX) || message.method !== undefined) return false;
    const entry = this.pending.get(id);
    // A late answer to a request that timed out is dropped here too: the SDK would not know its id.
    if (entry === undefined) return true;
    this.settled(id);
    const error = message.error as { code?: unknown; message?: unknown; data?: unknown } | undefined;
    if (error !== undefined) {
      entry.reject(SdkProtocolError.fromError(Number(error.code), String(error.message), error.data));
    } else if (typeof message.result !== "object" || message.result === null || Array.isArray(message.result)) {
      entry.reject(new SdkClientError(SdkClientErrorCode.InvalidResult, "Invalid result: not an object"));
    } else {
      entry.resolve(message.result as Record<string, unknown>);
    }
    return true;
  }
}

/** The SDK client internals the direct path reads: the envelope it stamps and the output validator it compiles. */
interface SdkInternals {
  _outboundMetaEnvelope(): Record<string, unknown> | undefined;
  _compileOutputValidator(tool: unknown): { ok: true; validator: (value: unknown) => { valid: boolean; errorMessage?: string } } | { ok: false; compileError: unknown } | undefined;
}

const validators = new WeakMap<object, ReturnType<SdkInternals["_compileOutputValidator"]>>();
/** The envelope each connected SDK client stamps: fixed once it has negotiated (identity, capabilities, version). */
const envelopes = new WeakMap<object, Record<string, unknown>>();

function envelopeOf(sdk: object): Record<string, unknown> {
  let envelope = envelopes.get(sdk);
  if (envelope === undefined) {
    envelope = (sdk as SdkInternals)._outboundMetaEnvelope() ?? {};
    envelopes.set(sdk, envelope);
  }
  return envelope;
}

/**
 * A tool call on the direct channel, returning what the SDK client's
 * `callTool` returns for the same answer: the era's result decoding (a
 * modern result must say `resultType: "complete"`, which is then dropped)
 * and the SDK's own check of structured output against the tool's output
 * schema, with the SDK's validator and messages. Resolves `undefined` for an
 * `input_required` answer, which the SDK client's multi-round-trip driver
 * handles: the caller sends the call that way instead.
 */
export async function callToolDirect(
  channel: DirectChannel,
  sdk: object,
  params: { name: string; arguments: Record<string, unknown>; _meta?: Record<string, unknown> },
  modern: boolean,
  timeoutMs: number,
  definition: object,
): Promise<Record<string, unknown> | undefined> {
  const internals = sdk as SdkInternals;
  let compiled = validators.get(definition);
  if (compiled === undefined && !validators.has(definition)) {
    compiled = internals._compileOutputValidator(definition);
    validators.set(definition, compiled);
  }
  if (compiled !== undefined && !compiled.ok) {
    const message = (compiled.compileError instanceof Error ? compiled.compileError.message : String(compiled.compileError)).slice(0, 200);
    throw new SdkProtocolError(-32602, `Tool '${params.name}' has an invalid outputSchema: ${message}`);
  }
  const sent = modern ? { name: params.name, arguments: params.arguments, _meta: params._meta === undefined ? envelopeOf(sdk) : { ...envelopeOf(sdk), ...params._meta } } : params;
  const raw = await channel.request("tools/call", sent, timeoutMs);
  let result = raw;
  if (modern || "resultType" in raw) {
    const type = raw.resultType;
    if (modern && type === "input_required") return undefined;
    if (modern && typeof type !== "string") {
      throw new SdkClientError(SdkClientErrorCode.InvalidResult, `Invalid result for tools/call: ${type === undefined ? "missing required resultType" : "non-string resultType"}`);
    }
    if (modern && type !== "complete") throw new SdkClientError(SdkClientErrorCode.UnsupportedResultType, `Unsupported result type '${String(type)}' for tools/call`);
    const { resultType: _type, ...rest } = raw;
    result = rest;
  }
  if (compiled?.ok === true && result.isError !== true) {
    if (result.structuredContent === undefined) throw new SdkProtocolError(-32600, `Tool ${params.name} has an output schema but did not return structured content`);
    const outcome = compiled.validator(result.structuredContent);
    if (!outcome.valid) throw new SdkProtocolError(-32602, `Structured content does not match the tool's output schema: ${outcome.errorMessage}`);
  }
  return result;
}
