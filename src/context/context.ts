import { ErrorCodes, McpkitError } from "../errors/index.js";
import {
  InputRequiredInterrupt,
  type AuthInfo,
  type ClientCapabilities,
  type Implementation,
  type InputAsk,
  type LoggingLevel,
  type ProtocolCall,
  type ReadResourceResult,
  type Root,
  type SamplingMessage,
} from "../protocol/index.js";
import type { SchemaLike } from "../schema/index.js";
import { Ask, type SampleOptions, type SampleResult } from "./asks.js";
import type { ElicitationResult, ElicitedData } from "./elicitation.js";

/** What the context needs from the server that owns it. */
export interface ContextServer {
  readonly name: string;
  readResource(uri: string, parent: Context): Promise<ReadResourceResult>;
}

/** Options for {@link Context.elicit}. */
export interface ElicitOptions {
  /** Replay key for the modern era; defaults to call order within the handler. */
  key?: string;
}

/** The transport-level view of the current request. */
export interface RequestInfo {
  /** HTTP headers, when HTTP carried the request; empty otherwise. */
  readonly headers: Headers;
  /** The raw web `Request`, when HTTP carried the request. */
  readonly raw: Request | undefined;
  readonly id: string | number | undefined;
  readonly method: string;
  /** The request's `_meta` (client-supplied metadata). */
  readonly meta: Readonly<Record<string, unknown>> | undefined;
  readonly transport: "stdio" | "http" | "memory" | "in-process";
  readonly era: "legacy" | "modern" | undefined;
}

/** Legacy (2025-era) session facts, when the request arrived on a session. */
export interface SessionInfo {
  readonly id: string | undefined;
  readonly clientInfo: Implementation | undefined;
  readonly clientCapabilities: ClientCapabilities | undefined;
  readonly protocolVersion: string | undefined;
}

/**
 * Everything a handler can do beyond its arguments: log and report progress to
 * the client, ask it for input (elicitation, sampling, roots) in either
 * protocol era with the same code, read resources, and share request state.
 * One new instance per request.
 */
export class Context<L = unknown> {
  private ownState: Map<string, unknown> | undefined;
  private ownSignal: AbortSignal | undefined;
  private readonly parentSignal: AbortSignal | undefined;
  /** The value the server's lifespan produced. */
  readonly lifespan: L;
  /** The verified access token, once authentication is configured; `undefined` otherwise. */
  readonly auth: AuthInfo | undefined;

  private asked = 0;
  private readonly carried: Record<string, unknown>;

  constructor(
    private readonly server: ContextServer,
    private readonly call: ProtocolCall | undefined,
    options: { lifespan: L; state?: Map<string, unknown>; signal?: AbortSignal },
  ) {
    this.ownState = options.state;
    this.parentSignal = options.signal;
    this.lifespan = options.lifespan;
    this.auth = call?.authInfo;
    this.carried = { ...(call?.carriedResponses ?? {}) };
  }

  /** Request-scoped state, shared with middleware and handlers of this request (made on first use). */
  get state(): Map<string, unknown> {
    this.ownState ??= new Map();
    return this.ownState;
  }

  /**
   * Aborts when the client cancels the request or disconnects. Read lazily:
   * most handlers never look, and a signal per request is measurable on a
   * busy server.
   */
  get signal(): AbortSignal {
    this.ownSignal ??= this.call?.signal ?? this.parentSignal ?? new AbortController().signal;
    return this.ownSignal;
  }

  /** Transport-level facts about this request (headers, id, era). */
  get request(): RequestInfo {
    const call = this.call;
    return {
      // Made here, not at import: the first `Headers` loads Node's fetch implementation (about 30 ms
      // of a stdio server's start-up), and a shared one could be changed by one handler for the next.
      headers: call?.httpRequest?.headers ?? new Headers(),
      raw: call?.httpRequest,
      id: call?.requestId,
      method: call?.method ?? "",
      meta: call?.meta,
      transport: call?.transport ?? "in-process",
      era: call?.era,
    };
  }

  /** The legacy session this request arrived on, if any. */
  get session(): SessionInfo | undefined {
    const call = this.call;
    if (call === undefined || call.era !== "legacy") return undefined;
    return {
      id: call.sessionId,
      clientInfo: call.clientInfo(),
      clientCapabilities: call.clientCapabilities(),
      protocolVersion: call.protocolVersion(),
    };
  }

  /** The capabilities the client declared (per request in the modern era, per session in the legacy one). */
  get clientCapabilities(): ClientCapabilities | undefined {
    return this.call?.clientCapabilities();
  }

  /** Send a log message to the client (dropped below the client's chosen level). */
  async log(level: LoggingLevel, message: string, extra?: Record<string, unknown>): Promise<void> {
    if (this.call === undefined) return;
    const data = extra === undefined ? message : { msg: message, extra };
    await this.call.log(level, data, this.server.name);
  }

  /** `log("debug", ...)`. */
  debug(message: string, extra?: Record<string, unknown>): Promise<void> {
    return this.log("debug", message, extra);
  }

  /** `log("info", ...)`. */
  info(message: string, extra?: Record<string, unknown>): Promise<void> {
    return this.log("info", message, extra);
  }

  /** `log("warning", ...)`. */
  warning(message: string, extra?: Record<string, unknown>): Promise<void> {
    return this.log("warning", message, extra);
  }

  /** `log("error", ...)`. */
  error(message: string, extra?: Record<string, unknown>): Promise<void> {
    return this.log("error", message, extra);
  }

  /**
   * Report progress. Sent only when the client asked for progress (a
   * `progressToken` on the request); otherwise a no-op, as the spec requires.
   */
  async progress(progress: number, total?: number, message?: string): Promise<void> {
    const token = this.call?.progressToken;
    if (this.call === undefined || token === undefined) return;
    await this.call.notify("notifications/progress", {
      progressToken: token,
      progress,
      ...(total === undefined ? {} : { total }),
      ...(message === undefined ? {} : { message }),
    });
  }

  /**
   * Ask the user for input through the client. Legacy sessions get a real
   * `elicitation/create` request; modern requests return `input_required` and
   * this handler runs again when the client retries with the answer, so code
   * after `elicit` runs once the answer is known.
   *
   * @example
   * ```ts
   * const r = await ctx.elicit("Book it?", z.object({ seats: z.number().int() }));
   * if (r.action === "accept") book(r.data.seats);
   * ```
   */
  elicit<S extends SchemaLike | undefined = undefined>(
    message: string,
    schema?: S,
    options: ElicitOptions = {},
  ): Promise<ElicitationResult<ElicitedData<S>>> {
    return this.one(Ask.elicit(message, schema), options.key);
  }

  /** Ask the client's model for a completion. */
  sample(prompt: string | readonly SamplingMessage[], options: SampleOptions & ElicitOptions = {}): Promise<SampleResult> {
    return this.one(Ask.sample(prompt, options), options.key);
  }

  /** The client's roots (the folders or URIs it exposes). */
  listRoots(options: ElicitOptions = {}): Promise<Root[]> {
    return this.one(Ask.roots(), options.key);
  }

  /**
   * Ask several questions at once: one round trip in the modern era (all in
   * one `input_required` result), one request after another on a legacy session.
   *
   * @example
   * ```ts
   * const { name, roots } = await ctx.gather({ name: Ask.elicit("Name?", z.object({ name: z.string() })), roots: Ask.roots() });
   * ```
   */
  async gather<T extends Record<string, Ask<unknown>>>(asks: T): Promise<{ [K in keyof T]: T[K] extends Ask<infer R> ? R : never }> {
    const call = this.channel(Object.values(asks)[0]?.request.kind ?? "input");
    const answers: Record<string, Record<string, unknown>> = {};
    if (call.era === "legacy") {
      for (const [key, ask] of Object.entries(asks)) answers[key] = await call.push(ask.request);
    } else {
      const missing: Record<string, InputAsk> = {};
      for (const [key, ask] of Object.entries(asks)) {
        const found = this.answered(call, key);
        if (found === undefined) missing[key] = ask.request;
        else answers[key] = found;
      }
      if (Object.keys(missing).length > 0) {
        const interrupt = new InputRequiredInterrupt(missing, this.carried);
        // Recorded with the port first, so the question is still asked if code
        // between here and the port catches the interrupt.
        call.needInput(interrupt);
        throw interrupt;
      }
    }
    const out: Record<string, unknown> = {};
    for (const [key, ask] of Object.entries(asks)) out[key] = await ask.read(answers[key] as Record<string, unknown>);
    return out as { [K in keyof T]: T[K] extends Ask<infer R> ? R : never };
  }

  /** Read one of this server's resources, through the middleware chain. */
  readResource(uri: string): Promise<ReadResourceResult> {
    return this.server.readResource(uri, this);
  }

  /** Close this request's SSE stream so the client reconnects and resumes (legacy sessions with an event store). */
  closeSSEStream(): void {
    this.call?.closeSSE();
  }

  private async one<T>(ask: Ask<T>, key: string | undefined): Promise<T> {
    const id = key ?? `mcpkit_${ask.request.kind}_${this.asked}`;
    this.asked += 1;
    const answers = await this.gather({ [id]: ask });
    return answers[id] as T;
  }

  private channel(kind: string): ProtocolCall {
    if (this.call === undefined) {
      throw new McpkitError(ErrorCodes.NO_CLIENT_CHANNEL, `Cannot ask the client for ${kind}: this call did not come from a client (in-process call)`);
    }
    return this.call;
  }

  /** An answer sent on this retry, or carried from an earlier round; kept for the rounds to come. */
  private answered(call: ProtocolCall, key: string): Record<string, unknown> | undefined {
    const fresh = call.inputResponses?.[key];
    if (fresh !== undefined) {
      this.carried[key] = fresh;
      return fresh as Record<string, unknown>;
    }
    return this.carried[key] as Record<string, unknown> | undefined;
  }
}
