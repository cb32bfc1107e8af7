import type { Hono } from "hono";
import {
  Prompt,
  Resource,
  ResourceTemplate,
  Tool,
  UriTemplate,
  type PromptHandler,
  type PromptOptions,
  type ResourceTemplateHandler,
  type ResourceTemplateOptions,
  type ToolHandler,
  type ToolOptions,
} from "../components/index.js";
import { ErrorCodes, McpkitError } from "../errors/index.js";
import { loadHono, type CustomRoute, type HttpOptions } from "../http/index.js";
import type { NodeListener } from "../http/node-server.js";
import type { Middleware } from "../middleware/index.js";
import {
  Connections,
  createLinkedTransports,
  serveConnection,
  type CallToolResult,
  type CompleteResult,
  type GetPromptResult,
  type Icon,
  type Implementation,
  type MessageTransport,
  type ReadResourceResult,
  type WirePrompt,
  type WireResource,
  type WireResourceTemplate,
  type WireTool,
} from "../protocol/index.js";
import { Catalog, LocalProvider, Visibility, type DuplicatePolicy, type Provider, type Transform, type VisibilityRule } from "../providers/index.js";
import type { SchemaLike } from "../schema/index.js";
import { VERSION } from "../version.js";
import { Dispatcher } from "./dispatcher.js";
import { ChangeBroadcaster } from "./changes.js";
import { LifespanRunner, type Lifespan } from "./lifespan.js";
import { createLogger, type ServerLogger } from "./logger.js";
import { buildHttpFace, type HttpFace } from "./serving.js";
import { isCliLoading } from "./cli-loading.js";
import { readEnvSettings, requestStateKeyFrom, type EnvSettings, type ServerLogLevel } from "./settings.js";

/** Options for {@link FastMCP}. */
export interface FastMCPOptions<L = unknown> {
  /** The server's name, sent to clients. Default: a generated `mcpkit-xxxx`. */
  name?: string;
  /** The server's version, sent to clients. Default: mcpkit's version. */
  version?: string | number;
  title?: string;
  /** Guidance for the model on how to use this server. */
  instructions?: string;
  websiteUrl?: string;
  icons?: readonly Icon[];
  /** Set-up and tear-down run once per server process; its value is `ctx.lifespan`. */
  lifespan?: Lifespan<L, FastMCP<L>>;
  middleware?: readonly Middleware[];
  /** What happens when a name is registered twice. Default `warn` (log, then replace). */
  onDuplicate?: DuplicatePolicy;
  /** Hide unexpected exception messages from clients (`ToolError` and friends still pass). Env `MCPKIT_MASK_ERROR_DETAILS`. */
  maskErrorDetails?: boolean;
  /** Page size for list results; unset sends everything at once. Env `MCPKIT_LIST_PAGE_SIZE`. */
  listPageSize?: number;
  /** The server's own stderr diagnostics. Env `MCPKIT_LOG_LEVEL`. Default `info`. */
  logLevel?: ServerLogLevel;
  /**
   * The HMAC key (at least 32 bytes) protecting multi-round-trip request state.
   * Default: random per process. Give every replica the same key when several
   * processes serve one endpoint.
   */
  requestStateKey?: string | Uint8Array;
  /** Extra component sources, asked after the local registrations. */
  providers?: readonly Provider[];
  /** Transforms applied to every component on the way out. */
  transforms?: readonly Transform[];
}

/** Options for {@link FastMCP.run} and {@link FastMCP.listen}. */
export interface RunOptions extends HttpOptions {
  /** `stdio` (default) or `http`. Env `MCPKIT_TRANSPORT`. */
  transport?: "stdio" | "http";
  /** Bind address. Default `127.0.0.1`. Env `MCPKIT_HOST`. */
  host?: string;
  /** Port. Default 8000. Env `MCPKIT_PORT`. */
  port?: number;
}

/** A running HTTP listener started by {@link FastMCP.listen}. */
export interface HttpHandle {
  /** Base URL, e.g. `http://127.0.0.1:8000`. */
  readonly url: string;
  /** The MCP endpoint URL, e.g. `http://127.0.0.1:8000/mcp`. */
  readonly endpoint: string;
  close(): Promise<void>;
}

/**
 * An MCP server. Register tools, resources and prompts; serve them over stdio,
 * HTTP or in memory; both protocol eras on the same endpoint.
 *
 * @example
 * ```ts
 * const mcp = new FastMCP({ name: "Weather" });
 * mcp.tool({ name: "forecast", input: z.object({ city: z.string() }) }, ({ city }) => `Sunny in ${city}`);
 * await mcp.run();
 * ```
 */
export class FastMCP<L = unknown> {
  readonly name: string;
  readonly version: string;
  /** Guidance for the model; sent to clients that connect after it changes. */
  instructions: string | undefined;
  /** The local registrations (`mcp.tool(...)` and friends). */
  readonly local: LocalProvider;
  /** Web-standard handler: `export default mcp` serves it on Bun, Deno and Workers. */
  readonly fetch: (request: Request) => Promise<Response>;

  private readonly options: FastMCPOptions<L>;
  private readonly env: EnvSettings;
  private readonly logger: ServerLogger;
  private readonly providers: Provider[];
  private readonly transforms: Transform[];
  private readonly middlewareList: Middleware[];
  private readonly routes: CustomRoute[] = [];
  private readonly dispatcher: Dispatcher;
  private readonly connections = new Connections();
  private readonly faces = new Set<HttpFace>();
  private readonly listeners = new Set<NodeListener>();
  private readonly closers = new Set<() => Promise<void>>();
  /** The request-state key: the one given (checked at construction), or a random one made on first use. */
  private stateKey: Uint8Array | undefined;
  private readonly visibility = new Visibility();
  private cachedCatalog: Catalog | undefined;
  private defaultFace: HttpFace | undefined;
  private readonly lifespan: LifespanRunner<L, FastMCP<L>>;
  private readonly changes: ChangeBroadcaster;

  constructor(options: FastMCPOptions<L> = {}) {
    this.options = options;
    this.env = readEnvSettings();
    this.name = options.name ?? `mcpkit-${Math.random().toString(36).slice(2, 6)}`;
    this.version = String(options.version ?? VERSION);
    this.instructions = options.instructions;
    this.logger = createLogger(this.name, options.logLevel ?? this.env.logLevel ?? "info");
    this.local = new LocalProvider(options.onDuplicate ?? "warn", (m) => this.logger.warning(m));
    this.lifespan = new LifespanRunner<L, FastMCP<L>>(options.lifespan, this as FastMCP<L>);
    this.changes = new ChangeBroadcaster(this.connections, () => this.faces);
    this.local.onChange((kind) => this.changes.changed(kind));
    this.providers = [this.local, ...(options.providers ?? [])];
    this.transforms = [...(options.transforms ?? [])];
    this.middlewareList = [...(options.middleware ?? [])];
    // A random key is made when first needed: the first use of `crypto` loads Web Crypto, a few ms of start-up.
    this.stateKey = options.requestStateKey === undefined ? undefined : requestStateKeyFrom(options.requestStateKey);
    const pageSize = options.listPageSize ?? this.env.listPageSize;
    if (pageSize !== undefined && (!Number.isInteger(pageSize) || pageSize <= 0)) {
      throw new McpkitError(ErrorCodes.INVALID_SETTING, `listPageSize must be a positive integer, got ${String(pageSize)}`);
    }
    this.dispatcher = new Dispatcher({
      name: this.name,
      serverInfo: () => this.serverInfo(),
      instructions: () => this.instructions,
      requestStateKey: () => (this.stateKey ??= requestStateKeyFrom(undefined)),
      middleware: this.middlewareList,
      maskErrorDetails: options.maskErrorDetails ?? this.env.maskErrorDetails ?? false,
      listPageSize: pageSize,
      // Server-level visibility applies last, to the names clients see.
      catalog: () => (this.cachedCatalog ??= new Catalog(this.providers, [...this.transforms, this.visibility])),
      lifespanValue: async () => (await this.lifespan.start()).value,
    });
    this.fetch = async (request: Request) => {
      await this.lifespan.start();
      if (this.defaultFace === undefined) await loadHono();
      this.defaultFace ??= this.face({}, undefined);
      return this.defaultFace.app.fetch(request);
    };
  }

  /**
   * Register a tool. Arguments are typed from `input`; the return value
   * becomes the result (objects become structured content plus JSON text).
   *
   * @example
   * ```ts
   * mcp.tool({ name: "add", input: z.object({ a: z.number(), b: z.number() }) }, ({ a, b }) => a + b);
   * ```
   */
  tool<const S extends SchemaLike | undefined = undefined>(options: ToolOptions<S> | string, handler: ToolHandler<S, L>): Tool {
    const opts = typeof options === "string" ? { name: options } : options;
    return this.local.addTool(new Tool(opts as ToolOptions, handler as never));
  }

  /**
   * Register a resource, or a resource template when the URI has `{variables}`
   * (RFC 6570). Template variables are typed from the URI string.
   *
   * @example
   * ```ts
   * mcp.resource("config://app", () => ({ theme: "dark" }));
   * mcp.resource("users://{id}/profile", ({ id }) => getProfile(id));
   * ```
   */
  resource<const U extends string>(
    options: U | ResourceTemplateOptions<U>,
    handler: ResourceTemplateHandler<U, L>,
  ): Resource | ResourceTemplate {
    const opts = (typeof options === "string" ? { uri: options } : options) as ResourceTemplateOptions;
    if (typeof opts.uri === "string" && UriTemplate.parse(opts.uri).isTemplate) {
      return this.local.addTemplate(new ResourceTemplate(opts, handler as never));
    }
    return this.local.addResource(new Resource(opts, handler as never));
  }

  /**
   * Register a prompt. Arguments are typed from `args`; return a string,
   * messages, or a `PromptResult`.
   */
  prompt<const S extends SchemaLike | undefined = undefined>(options: PromptOptions<S> | string, handler: PromptHandler<S, L>): Prompt {
    const opts = typeof options === "string" ? { name: options } : options;
    return this.local.addPrompt(new Prompt(opts as PromptOptions, handler as never));
  }

  /** Remove a tool; connected clients are told the list changed. */
  removeTool(name: string): boolean {
    return this.local.removeTool(name);
  }

  /** Remove a resource (by URI) or a template (by its template string). */
  removeResource(uri: string): boolean {
    return this.local.removeResource(uri) || this.local.removeTemplate(uri);
  }

  /** Remove a prompt. */
  removePrompt(name: string): boolean {
    return this.local.removePrompt(name);
  }

  /** Add a middleware (innermost so far: the first added is the outermost). */
  use(middleware: Middleware): this {
    this.middlewareList.push(middleware);
    return this;
  }

  /** Add a component source, asked after the ones already added. */
  addProvider(provider: Provider): this {
    this.providers.push(provider);
    this.cachedCatalog = undefined;
    this.changes.changedAll();
    return this;
  }

  /** Add a transform, applied after the ones already added. */
  addTransform(transform: Transform): this {
    this.transforms.push(transform);
    this.cachedCatalog = undefined;
    this.changes.changedAll();
    return this;
  }

  /**
   * Hide components by name (or URI) or tag; hidden components answer exactly as
   * unknown ones. Rules stack: the last rule matching a component decides.
   *
   * @example
   * ```ts
   * mcp.disable({ tags: ["admin"] }).enable({ names: ["admin_status"] });
   * ```
   */
  disable(rule: VisibilityRule): this {
    this.visibility.disable(rule);
    this.changes.changedAll();
    return this;
  }

  /** Show components again, over earlier `disable`/`only` rules. */
  enable(rule: VisibilityRule): this {
    this.visibility.enable(rule);
    this.changes.changedAll();
    return this;
  }

  /** Show only components matching the rule (later `enable` rules can add more). */
  only(rule: VisibilityRule): this {
    this.visibility.only(rule);
    this.changes.changedAll();
    return this;
  }

  /** Serve a custom HTTP route beside the MCP endpoint (not behind MCP auth). */
  route(method: string, path: string, handler: (request: Request) => Response | Promise<Response>): this {
    this.routes.push({ method, path, handler });
    return this;
  }

  /** Tell subscribed clients a resource changed. */
  notifyResourceUpdated(uri: string): Promise<void> {
    return this.changes.publish({ kind: "resource_updated", uri });
  }

  // In-process API: the same path as a client's request, middleware included.

  /** The tools a client would list (every page). */
  async listTools(): Promise<WireTool[]> {
    return this.listAll<WireTool>("tools/list", "tools");
  }

  /** Call a tool as a client would. */
  async callTool(name: string, args: Record<string, unknown> = {}): Promise<CallToolResult> {
    return (await this.dispatcher.handleInProcess("tools/call", { name, arguments: args })) as CallToolResult;
  }

  /** The resources a client would list (every page). */
  async listResources(): Promise<WireResource[]> {
    return this.listAll<WireResource>("resources/list", "resources");
  }

  /** The resource templates a client would list (every page). */
  async listResourceTemplates(): Promise<WireResourceTemplate[]> {
    return this.listAll<WireResourceTemplate>("resources/templates/list", "resourceTemplates");
  }

  /** Read a resource as a client would. */
  async readResource(uri: string): Promise<ReadResourceResult> {
    return (await this.dispatcher.handleInProcess("resources/read", { uri })) as ReadResourceResult;
  }

  /** The prompts a client would list (every page). */
  async listPrompts(): Promise<WirePrompt[]> {
    return this.listAll<WirePrompt>("prompts/list", "prompts");
  }

  /** Render a prompt as a client would. */
  async getPrompt(name: string, args: Record<string, string> = {}): Promise<GetPromptResult> {
    return (await this.dispatcher.handleInProcess("prompts/get", { name, arguments: args })) as GetPromptResult;
  }

  /** Ask for argument completions as a client would. */
  async complete(
    ref: { type: "ref/prompt"; name: string } | { type: "ref/resource"; uri: string },
    argument: { name: string; value: string },
    context: Record<string, string> = {},
  ): Promise<CompleteResult> {
    return (await this.dispatcher.handleInProcess("completion/complete", { ref, argument, context: { arguments: context } })) as CompleteResult;
  }

  // Serving.

  /**
   * The hono app (health, custom routes, MCP endpoint), to mount in an existing app.
   * hono is loaded on first use (a stdio server never loads it); on Node, Bun
   * and Deno that happens here, synchronously. In a bundle or runtime where it
   * cannot, `await mcp.loadHttp()` once first.
   */
  http(options: HttpOptions = {}): Hono {
    return this.face(options, undefined).app;
  }

  /**
   * Load what serving HTTP needs (hono), so that `mcp.http()` can return at
   * once on any runtime. `listen()`, `run()` and `fetch` do this themselves.
   *
   * @example
   * await mcp.loadHttp();
   * app.route("/", mcp.http({ path: "/mcp" }));
   */
  async loadHttp(): Promise<void> {
    await loadHono();
  }

  /**
   * Serve until stopped: stdio by default (resolves when stdin closes), or HTTP
   * (resolves on SIGINT/SIGTERM after draining in-flight calls).
   * `MCPKIT_TRANSPORT=http MCPKIT_PORT=8123` switches any `run()` to HTTP.
   */
  async run(options: RunOptions = {}): Promise<void> {
    // `mcpkit run/inspect/call file.ts` imports the file to find the server and
    // serves it itself: a top-level `await mcp.run()` in that file must not start serving.
    if (isCliLoading()) return;
    const transport = options.transport ?? this.env.transport ?? "stdio";
    if (transport === "stdio") {
      await this.lifespan.start();
      const { runStdio } = await import("./run-stdio.js");
      const { done, connection } = runStdio(this.dispatcher, this.connections, (e) => this.logger.debug(e.message));
      this.closers.add(() => connection.close());
      await done;
      await this.close();
      return;
    }
    const handle = await this.listen(options);
    this.logger.info(`serving MCP at ${handle.endpoint}`);
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
    });
    await this.close();
  }

  /** Start HTTP on Node and return at once with the URL, for tests and embedding. */
  async listen(options: RunOptions = {}): Promise<HttpHandle> {
    const host = options.host ?? this.env.host ?? "127.0.0.1";
    const port = options.port ?? this.env.port ?? 8000;
    await this.lifespan.start();
    await loadHono();
    const face = this.face(options, host);
    const { runHttp } = await import("./run-node.js");
    const listener = await runHttp(face, host, port);
    this.listeners.add(listener);
    const path = options.path ?? this.env.path ?? "/mcp";
    return {
      url: listener.url,
      endpoint: `${listener.url}${path}`,
      close: async () => {
        this.listeners.delete(listener);
        await listener.close();
        await face.serving.close();
        this.faces.delete(face);
      },
    };
  }

  /**
   * A client-side transport connected to this server in memory, for tests and
   * in-process clients. Each call opens a new connection.
   */
  inMemoryTransport(): MessageTransport {
    const [client, server] = createLinkedTransports();
    const served = serveConnection(this.dispatcher, this.connections, "memory", server, (e) => this.logger.debug(e.message));
    this.closers.add(() => served.close());
    return client;
  }

  /** Stop everything: listeners (draining in-flight calls), sessions, connections, then the lifespan. */
  async close(): Promise<void> {
    await Promise.all([...this.listeners].map((l) => l.close()));
    this.listeners.clear();
    await Promise.all([...this.faces].map((f) => f.serving.close()));
    this.faces.clear();
    this.defaultFace = undefined;
    await Promise.all([...this.closers].map((c) => c().catch(() => undefined)));
    this.closers.clear();
    await this.lifespan.stop();
  }

  /**
   * Walk every page of a list, as an SDK client does: with `listPageSize` set,
   * one request would return only the first page.
   */
  private async listAll<T>(method: "tools/list" | "resources/list" | "resources/templates/list" | "prompts/list", key: string): Promise<T[]> {
    const items: T[] = [];
    let cursor: unknown;
    do {
      const page = await this.dispatcher.handleInProcess(method, cursor === undefined ? {} : { cursor });
      items.push(...(page[key] as T[]));
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    return items;
  }

  private serverInfo(): Implementation {
    return {
      name: this.name,
      version: this.version,
      ...(this.options.title === undefined ? {} : { title: this.options.title }),
      ...(this.options.websiteUrl === undefined ? {} : { websiteUrl: this.options.websiteUrl }),
      ...(this.options.icons === undefined ? {} : { icons: [...this.options.icons] }),
    } as Implementation;
  }

  private face(options: HttpOptions, bindHost: string | undefined): HttpFace {
    const face = buildHttpFace(
      this.dispatcher,
      this.connections,
      {
        ...options,
        defaultPath: this.env.path ?? "/mcp",
        jsonDefault: this.env.jsonResponse ?? false,
        statelessDefault: this.env.statelessHttp ?? true,
        serverName: this.name,
      },
      this.routes,
      bindHost,
      (e) => this.logger.debug(e.message),
    );
    this.faces.add(face);
    return face;
  }
}
