import { ErrorCodes, McpkitError } from "../errors/index.js";
import type {
  CompleteResult,
  GetPromptResult,
  Implementation,
  LoggingLevel,
  ReadResourceResult,
  Root,
  ServerCapabilities,
  WirePrompt,
  WireResource,
  WireResourceTemplate,
  WireTool,
} from "../protocol/index.js";
import { SdkClient, type McpSubscription, type SdkRequestOptions } from "../protocol/client/index.js";
import { toClientError } from "./errors.js";
import { capabilitiesFor, installHandlers } from "./handlers.js";
import { connectError, eraMode, refusedByServer, tap } from "./connection.js";
import { callToolDirect, DirectChannel } from "./direct.js";
import { DEFAULT_MAX_PAGES, walkPages } from "./pagination.js";
import type { ClientOptions, ProgressUpdate } from "./options.js";
import { MultiClient } from "./multi.js";
import { planTransport, type ConnectTarget, type McpConfig } from "./targets.js";
import { ToolCallError, toToolCallResult, type ToolCallResult } from "./tool-call.js";

/** Options for one request. */
export interface CallOptions {
  /** This request's timeout in milliseconds (default: the client's). */
  timeoutMs?: number;
  /** Aborting it cancels the request (the server is sent `notifications/cancelled`). */
  signal?: AbortSignal;
  onProgress?: (update: ProgressUpdate) => void;
  /** `_meta` sent with the request. */
  meta?: Record<string, unknown>;
}

/** Options for a tool call. */
export interface ToolCallOptions extends CallOptions {
  /** Throw `ToolCallError` when the tool answers `isError` (default: the client's `raiseOnError`). */
  raiseOnError?: boolean;
}

/**
 * A client for any MCP server, in either protocol era: a `FastMCP` instance in
 * memory, a URL, a server file or command, or any transport.
 *
 * @example
 * ```ts
 * await using client = await Client.connect("https://example.com/mcp");
 * const tools = await client.listTools();
 * const result = await client.callTool("get_forecast", { city: "Paris" });
 * console.log(result.data);
 * ```
 */
export class Client {
  private roots: Root[];
  /** The log level asked for: sent in each request's `_meta` in the 2026 era (which has no `logging/setLevel`). */
  private logLevel: LoggingLevel | undefined;
  private closed = false;
  /** Tool definitions by name from the last listing; `undefined` until listed or after a list change. */
  private tools: Map<string, WireTool> | undefined;
  /** The direct channel to a FastMCP server in this process, for tool calls (src/client/direct.ts). */
  private direct: DirectChannel | undefined;

  private constructor(
    private readonly sdk: SdkClient,
    private readonly options: ClientOptions,
    /** Where the client is connected, for messages. */
    readonly target: string,
  ) {
    this.roots = [...(options.roots ?? [])];
    this.logLevel = options.onLog === undefined ? undefined : "debug";
  }

  /**
   * Connect and negotiate: in `auto` era mode, the 2026 era first, the 2025
   * handshake as fallback. An `mcpServers` configuration connects to every
   * server it lists and returns a {@link MultiClient}.
   */
  static connect(target: McpConfig, options?: ClientOptions): Promise<MultiClient>;
  static connect(target: ConnectTarget, options?: ClientOptions): Promise<Client>;
  static async connect(target: ConnectTarget | McpConfig, options: ClientOptions = {}): Promise<Client | MultiClient> {
    if (typeof target === "object" && target !== null && "mcpServers" in target) {
      return MultiClient.connect(target, options, (one, opts) => Client.connect(one, opts));
    }
    return Client.connectOne(target, options);
  }

  private static async connectOne(target: ConnectTarget, options: ClientOptions): Promise<Client> {
    const headers = { ...options.headers, ...(options.bearerToken === undefined ? {} : { authorization: `Bearer ${options.bearerToken}` }) };
    const plan = planTransport(target, headers, options);
    const make = () => {
      const sdk = new SdkClient(
        { name: options.name ?? "mcpkit-client", version: options.version ?? "0.1.0" },
        {
          capabilities: capabilitiesFor(options),
          versionNegotiation: { mode: eraMode(options.era ?? "auto") },
        } as never,
      );
      const client = new Client(sdk, options, plan.label);
      installHandlers(client.sdk, options, { roots: () => client.roots, listChanged: (list) => client.listChanged(list) });
      return client;
    };
    let client = make();
    try {
      const transport = tap(await plan.open(), options.onMessage);
      // Not with `onMessage`: that hook promises to see every message, and the channel takes its own answers.
      if (plan.inMemory === true && options.onMessage === undefined) client.direct = DirectChannel.install(transport);
      await client.sdk.connect(transport as never, { timeout: options.timeoutMs ?? 60_000 } as never);
    } catch (error) {
      await client.sdk.close().catch(() => undefined);
      if (plan.fallback === undefined || !refusedByServer(error)) throw connectError(plan.label, error);
      client = make();
      try {
        await client.sdk.connect(tap(await plan.fallback(), options.onMessage) as never);
      } catch (second) {
        await client.sdk.close().catch(() => undefined);
        throw connectError(plan.label, second);
      }
    }
    return client;
  }

  /** The server's name, version and other identity. */
  get serverInfo(): Implementation | undefined {
    return this.sdk.getServerVersion();
  }

  get serverCapabilities(): ServerCapabilities | undefined {
    return this.sdk.getServerCapabilities();
  }

  /** The server's guidance for models. */
  get instructions(): string | undefined {
    return this.sdk.getInstructions();
  }

  /** The negotiated protocol revision, e.g. `2026-07-28`. */
  get protocolVersion(): string | undefined {
    return this.sdk.getNegotiatedProtocolVersion();
  }

  /** `modern` (2026-07-28 and later) or `legacy`. */
  get era(): "legacy" | "modern" {
    const version = this.protocolVersion;
    return version !== undefined && version >= "2026-07-28" ? "modern" : "legacy";
  }

  /** Every tool, all pages. */
  async listTools(options: CallOptions = {}): Promise<WireTool[]> {
    const tools = await this.run(() => walkPages<"tools", WireTool>("tools", (cursor) => this.sdk.listTools(page(cursor), this.requestOptions(options)), this.maxPages));
    this.remember(tools);
    return tools;
  }

  /** Call a tool. Throws `ToolCallError` on an `isError` answer unless `raiseOnError` is false. */
  async callTool(name: string, args: Record<string, unknown> = {}, options: ToolCallOptions = {}): Promise<ToolCallResult> {
    const params = { name, arguments: args, ...this.metaFor(options) };
    // Looked up first: the listing also lets the SDK check structured output against the outputSchema.
    const definition = await this.toolDefinition(name, options);
    const direct = this.directFor(options) && definition !== undefined ? await this.run(() => callToolDirect(this.direct as DirectChannel, this.sdk, params, this.era === "modern", this.timeoutFor(options), definition)) : undefined;
    const raw =
      (direct as Awaited<ReturnType<SdkClient["callTool"]>> | undefined) ??
      (await this.run(() => this.sdk.callTool(params, { ...this.requestOptions(options), ...(definition === undefined ? {} : { toolDefinition: definition }) })));
    const result = toToolCallResult(raw, definition?.outputSchema as Record<string, unknown> | undefined);
    if (result.isError && (options.raiseOnError ?? this.options.raiseOnError ?? true)) throw new ToolCallError(name, result);
    return result;
  }

  /** Every resource, all pages. */
  async listResources(options: CallOptions = {}): Promise<WireResource[]> {
    return this.run(() => walkPages<"resources", WireResource>("resources", (cursor) => this.sdk.listResources(page(cursor), this.requestOptions(options)), this.maxPages));
  }

  /** Every resource template, all pages. */
  async listResourceTemplates(options: CallOptions = {}): Promise<WireResourceTemplate[]> {
    return this.run(() =>
      walkPages<"resourceTemplates", WireResourceTemplate>("resourceTemplates", (cursor) => this.sdk.listResourceTemplates(page(cursor), this.requestOptions(options)), this.maxPages),
    );
  }

  /** Read a resource: its contents (text or base64 blobs). */
  async readResource(uri: string, options: CallOptions = {}): Promise<ReadResourceResult["contents"]> {
    return (await this.run(() => this.sdk.readResource({ uri, ...this.metaFor(options) }, this.requestOptions(options)))).contents;
  }

  /** Every prompt, all pages. */
  async listPrompts(options: CallOptions = {}): Promise<WirePrompt[]> {
    return this.run(() => walkPages<"prompts", WirePrompt>("prompts", (cursor) => this.sdk.listPrompts(page(cursor), this.requestOptions(options)), this.maxPages));
  }

  /** Render a prompt. Non-string argument values are sent as JSON strings, as MCP requires strings. */
  async getPrompt(name: string, args: Record<string, unknown> = {}, options: CallOptions = {}): Promise<GetPromptResult> {
    const strings = Object.fromEntries(Object.entries(args).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
    return this.run(() => this.sdk.getPrompt({ name, arguments: strings, ...this.metaFor(options) }, this.requestOptions(options)));
  }

  /** Suggestions for a prompt argument or a template variable. */
  async complete(
    ref: { type: "ref/prompt"; name: string } | { type: "ref/resource"; uri: string },
    argument: { name: string; value: string },
    context: Record<string, string> = {},
    options: CallOptions = {},
  ): Promise<CompleteResult["completion"]> {
    const params = { ref, argument, ...(Object.keys(context).length === 0 ? {} : { context: { arguments: context } }), ...this.metaFor(options) };
    return (await this.run(() => this.sdk.complete(params, this.requestOptions(options)))).completion;
  }

  /** Check the server answers (2025 era; in the 2026 era a cheap discover). */
  async ping(options: CallOptions = {}): Promise<void> {
    await this.run(() => (this.era === "modern" ? this.sdk.discover(this.requestOptions(options)) : this.sdk.ping(this.requestOptions(options))));
  }

  /** Ask the server to send log messages at this level and above (a `logging/setLevel` request in the 2025 era; in the 2026 era, the `_meta` of later requests). */
  async setLoggingLevel(level: LoggingLevel): Promise<void> {
    this.logLevel = level;
    // The 2026 era has no logging/setLevel: the level travels in each request's `_meta` instead.
    if (this.era === "modern") return;
    await this.run(() => this.sdk.setLoggingLevel(level));
  }

  /**
   * Hear about changes to these resources (`onResourceUpdated`): a
   * subscription on a 2025 session, a `subscriptions/listen` stream in the
   * 2026 era. Close the returned handle to stop.
   */
  async subscribe(uris: readonly string[]): Promise<{ close(): Promise<void> }> {
    if (this.era === "modern") {
      const subscription: McpSubscription = await this.run(() =>
        this.sdk.listen({ resourceSubscriptions: [...uris], toolsListChanged: true, promptsListChanged: true, resourcesListChanged: true }),
      );
      return { close: () => subscription.close() };
    }
    for (const uri of uris) await this.run(() => this.sdk.subscribeResource({ uri }));
    return {
      close: async () => {
        for (const uri of uris) await this.run(() => this.sdk.unsubscribeResource({ uri }));
      },
    };
  }

  /** Replace the roots this client exposes and tell the server they changed. */
  async setRoots(roots: readonly Root[]): Promise<void> {
    this.roots = [...roots];
    if (this.era === "legacy") await this.run(() => this.sdk.sendRootsListChanged());
  }

  /** Disconnect (a spawned server process is stopped). Safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.sdk.close();
  }

  /** `await using client = await Client.connect(...)` closes it at the end of the scope. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  private get maxPages(): number {
    return this.options.maxPages ?? DEFAULT_MAX_PAGES;
  }

  private remember(tools: readonly WireTool[]): Map<string, WireTool> {
    this.tools = new Map(tools.map((t) => [t.name, t]));
    return this.tools;
  }

  private listChanged(list: "tools" | "resources" | "prompts"): void {
    if (list === "tools") this.tools = undefined;
  }

  private async run<T>(call: () => Promise<T>): Promise<T> {
    if (this.closed) throw new McpkitError(ErrorCodes.CONNECTION_FAILED, `The client for ${this.target} is closed`);
    try {
      return await call();
    } catch (error) {
      throw toClientError(error);
    }
  }

  /** The request's `_meta`: the caller's, over the log level the 2026 era asks for per request. */
  private metaFor(options: CallOptions): { _meta?: Record<string, unknown> } {
    const level = this.era === "modern" ? this.logLevel : undefined;
    const meta = { ...(level === undefined ? {} : { "io.modelcontextprotocol/logLevel": level }), ...options.meta };
    return Object.keys(meta).length === 0 ? {} : { _meta: meta };
  }

  /**
   * Whether a call may go on the direct channel: an in-memory server, and
   * nothing the SDK client's request machinery is needed for (a signal,
   * progress). Not with a log level in the modern era either: an
   * `input_required` answer is sent again through the SDK client, whose
   * first round would then log twice.
   */
  private directFor(options: CallOptions): boolean {
    if (this.direct === undefined || options.signal !== undefined || (options.onProgress ?? this.options.onProgress) !== undefined) return false;
    return !(this.era === "modern" && this.logLevel !== undefined);
  }

  private timeoutFor(options: CallOptions): number {
    return options.timeoutMs ?? this.options.timeoutMs ?? 60_000;
  }

  private requestOptions(options: CallOptions): SdkRequestOptions {
    const onProgress = options.onProgress ?? this.options.onProgress;
    return {
      timeout: this.timeoutFor(options),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      ...(onProgress === undefined
        ? {}
        : { onprogress: (p: { progress: number; total?: number; message?: string }) => onProgress({ progress: p.progress, total: p.total, message: p.message }) }),
    } as SdkRequestOptions;
  }

  /**
   * The tool's definition, from this client's own cache of the last listing
   * (dropped when the server says the list changed): listed once, not before
   * every call.
   */
  private async toolDefinition(name: string, options: CallOptions): Promise<WireTool | undefined> {
    const cached = this.tools?.get(name);
    // A miss lists again: the tool may be new and the server may not announce changes (no listen stream).
    if (cached !== undefined) return cached;
    const { timeoutMs, signal } = options;
    const listing = { timeout: timeoutMs ?? this.options.timeoutMs ?? 60_000, ...(signal === undefined ? {} : { signal }) };
    try {
      return this.remember(await walkPages<"tools", WireTool>("tools", (cursor) => this.sdk.listTools(page(cursor), listing as never), this.maxPages)).get(name);
    } catch (error) {
      // A silent or lost server, or a cancelled call, is the call's outcome; other listing failures only skip the unwrapping.
      const mapped = toClientError(error);
      if (signal?.aborted === true) throw mapped;
      if (mapped instanceof McpkitError && (mapped.code === ErrorCodes.TIMEOUT || mapped.code === ErrorCodes.CONNECTION_FAILED)) throw mapped;
      return undefined;
    }
  }
}

/** Params for one page: none for the first (some servers refuse an explicit undefined cursor). */
function page(cursor: string | undefined): { cursor: string } | undefined {
  return cursor === undefined ? undefined : { cursor };
}
