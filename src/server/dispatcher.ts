import { completionResult, type Completer, type Prompt, type Resource, type ResourceTemplate, type Tool } from "../components/index.js";
import { Context, type ContextServer } from "../context/index.js";
import { ErrorCodes, McpkitError, NotFoundError, PromptError, ResourceError, ValidationError, isClientFacingError } from "../errors/index.js";
import { runChain, type Middleware } from "../middleware/index.js";
import type { Catalog } from "../providers/index.js";
import {
  InputRequiredInterrupt,
  type HostMethod,
  type Implementation,
  type ProtocolCall,
  type ProtocolHost,
  type ReadResourceResult,
  type ServerCapabilities,
} from "../protocol/index.js";
import { paginate } from "./pagination.js";

/** What the dispatcher reads from its server on every request (live values). */
export interface DispatcherSource {
  readonly name: string;
  serverInfo(): Implementation;
  instructions(): string | undefined;
  requestStateKey(): Uint8Array;
  readonly middleware: readonly Middleware[];
  readonly maskErrorDetails: boolean;
  readonly listPageSize: number | undefined;
  catalog(): Catalog;
  lifespanValue(): Promise<unknown>;
}

const CAPABILITIES: ServerCapabilities = Object.freeze({
  tools: { listChanged: true },
  resources: { subscribe: true, listChanged: true },
  prompts: { listChanged: true },
  logging: {},
  completions: {},
});

/**
 * Where every MCP request lands, from any transport or in process: builds the
 * request context, runs the middleware chain, finds the component through the
 * providers and transforms, and runs it.
 */
export class Dispatcher implements ProtocolHost {
  constructor(private readonly source: DispatcherSource) {}

  get serverInfo(): Implementation {
    return this.source.serverInfo();
  }

  get instructions(): string | undefined {
    return this.source.instructions();
  }

  get requestStateKey(): Uint8Array {
    return this.source.requestStateKey();
  }

  capabilities(): ServerCapabilities {
    return CAPABILITIES;
  }

  /** Entry from the protocol port. */
  async handle(method: HostMethod, params: Record<string, unknown>, call: ProtocolCall): Promise<Record<string, unknown>> {
    const ctx = await this.context(call, undefined);
    return this.run(method, params, ctx, "client");
  }

  /** Messages the protocol layer answers itself (initialize, ping, notifications...) still pass through middleware. */
  async around(
    type: "request" | "notification",
    method: string,
    params: Record<string, unknown>,
    call: ProtocolCall | undefined,
    next: () => Promise<unknown>,
  ): Promise<unknown> {
    const middleware = this.source.middleware;
    if (middleware.length === 0) return next();
    const ctx = await this.context(call, undefined);
    return runChain(middleware, { method, type, source: "client", context: ctx, timestamp: Date.now() }, params, () => next());
  }

  /** Entry for in-process calls (`mcp.callTool(...)`) and `ctx.readResource(...)`. */
  async handleInProcess(method: HostMethod, params: Record<string, unknown>, parent?: Context): Promise<Record<string, unknown>> {
    const ctx = await this.context(undefined, parent);
    return this.run(method, params, ctx, "in-process");
  }

  private async context(call: ProtocolCall | undefined, parent: Context | undefined): Promise<Context> {
    const server: ContextServer = {
      name: this.source.name,
      readResource: (uri, from) => this.handleInProcess("resources/read", { uri }, from) as Promise<ReadResourceResult>,
    };
    return new Context(server, call, {
      lifespan: await this.source.lifespanValue(),
      ...(parent === undefined ? {} : { state: parent.state, signal: parent.signal }),
    });
  }

  private async run(method: HostMethod, params: Record<string, unknown>, ctx: Context, source: "client" | "in-process") {
    const base = { method, type: "request" as const, source, context: ctx, timestamp: Date.now() };
    const produced = await runChain(this.source.middleware, base, params, (p) => this.operation(method, p, ctx));
    return this.shape(method, params, produced);
  }

  /** The operation itself. List operations yield components; middleware sees and may filter them. */
  private async operation(method: HostMethod, params: Record<string, unknown>, ctx: Context): Promise<unknown> {
    const catalog = this.source.catalog();
    switch (method) {
      case "tools/list":
        return catalog.listTools();
      case "resources/list":
        return catalog.listResources();
      case "resources/templates/list":
        return catalog.listResourceTemplates();
      case "prompts/list":
        return catalog.listPrompts();
      case "tools/call": {
        const name = stringParam(params, "name");
        const tool = await catalog.getTool(name);
        if (tool === undefined) throw new NotFoundError(`Unknown tool: ${name}`);
        return tool.run(params.arguments as Record<string, unknown> | undefined, ctx, { maskErrorDetails: this.source.maskErrorDetails });
      }
      case "resources/read":
        return this.read(stringParam(params, "uri"), ctx);
      case "prompts/get": {
        const name = stringParam(params, "name");
        const prompt = await catalog.getPrompt(name);
        if (prompt === undefined) throw new NotFoundError(`Unknown prompt: ${name}`);
        return this.guard(() => prompt.render(params.arguments as Record<string, unknown> | undefined, ctx), (m) => new PromptError(m), `rendering prompt '${name}'`);
      }
      case "completion/complete":
        return this.complete(params);
      case "resources/subscribe":
      case "resources/unsubscribe":
        stringParam(params, "uri");
        return {};
    }
  }

  private async read(uri: string, ctx: Context): Promise<ReadResourceResult> {
    const catalog = this.source.catalog();
    const resource = await catalog.getResource(uri);
    if (resource !== undefined) {
      return this.guard(() => resource.read(ctx, uri), (m) => new ResourceError(m), `reading resource '${uri}'`);
    }
    const matched = await catalog.matchTemplate(uri);
    if (matched === undefined) throw new NotFoundError(`Resource not found: ${uri}`, { data: { uri } });
    return this.guard(() => matched.template.read(uri, matched.params, ctx), (m) => new ResourceError(m), `reading resource '${uri}'`);
  }

  /** Client-facing errors pass; others are masked or prefixed, per `maskErrorDetails`. */
  private async guard<T>(run: () => Promise<T>, wrap: (message: string) => McpkitError, doing: string): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof InputRequiredInterrupt || isClientFacingError(error)) throw error;
      if (this.source.maskErrorDetails) throw wrap(`Error ${doing}`);
      const message = error instanceof Error ? error.message : String(error);
      throw Object.assign(wrap(`Error ${doing}: ${message}`), { cause: error });
    }
  }

  private async complete(params: Record<string, unknown>) {
    const ref = params.ref as { type?: unknown; name?: unknown; uri?: unknown } | undefined;
    const argument = params.argument as { name?: unknown; value?: unknown } | undefined;
    if (typeof argument?.name !== "string" || typeof argument.value !== "string") {
      throw new ValidationError("completion/complete needs argument.name and argument.value", [{ path: "argument", message: "required" }]);
    }
    const context = { arguments: ((params.context as { arguments?: Record<string, string> } | undefined)?.arguments ?? {}) };
    const catalog = this.source.catalog();
    let completer;
    if (ref?.type === "ref/prompt" && typeof ref.name === "string") {
      const prompt = await catalog.getPrompt(ref.name);
      if (prompt === undefined) throw new NotFoundError(`Unknown prompt: ${ref.name}`);
      completer = ownCompleter(prompt.completers, argument.name);
    } else if (ref?.type === "ref/resource" && typeof ref.uri === "string") {
      const uri = ref.uri;
      const template = (await catalog.listResourceTemplates()).find((t) => t.uriTemplate === uri);
      if (template === undefined && (await catalog.getResource(uri)) === undefined) {
        throw new NotFoundError(`Unknown resource template: ${uri}`);
      }
      completer = template === undefined ? undefined : ownCompleter(template.completers, argument.name);
    } else {
      throw new ValidationError("completion/complete needs a ref of type ref/prompt or ref/resource", [{ path: "ref", message: "invalid" }]);
    }
    if (completer === undefined) return completionResult([]);
    return completionResult(await completer(argument.value, context));
  }

  /** Turn what the chain produced into the wire result (lists are paginated after middleware). */
  private shape(method: HostMethod, params: Record<string, unknown>, produced: unknown): Record<string, unknown> {
    const pageSize = this.source.listPageSize;
    const page = <T>(items: T[]) => paginate(items, params.cursor, pageSize);
    const withCursor = (key: string, p: { items: unknown[]; nextCursor: string | undefined }) => ({
      [key]: p.items,
      ...(p.nextCursor === undefined ? {} : { nextCursor: p.nextCursor }),
    });
    switch (method) {
      case "tools/list":
        return withCursor("tools", page((produced as Tool[]).map((t) => t.toWire())));
      case "resources/list":
        return withCursor("resources", page((produced as Resource[]).map((r) => r.toWire())));
      case "resources/templates/list":
        return withCursor("resourceTemplates", page((produced as ResourceTemplate[]).map((t) => t.toWire())));
      case "prompts/list":
        return withCursor("prompts", page((produced as Prompt[]).map((p) => p.toWire())));
      default:
        if (typeof produced !== "object" || produced === null) {
          throw new McpkitError(ErrorCodes.INVALID_RESULT, `Middleware for ${method} returned no result object`);
        }
        return produced as Record<string, unknown>;
    }
  }
}

/**
 * The completer registered for an argument. The name comes from the client, so
 * only own keys count: `constructor` or `toString` must not reach Object.prototype.
 */
function ownCompleter(completers: Readonly<Record<string, Completer>>, name: string): Completer | undefined {
  return Object.hasOwn(completers, name) ? completers[name] : undefined;
}

function stringParam(params: Record<string, unknown>, key: string): string {
  const value = params[key];
  if (typeof value !== "string") throw new ValidationError(`Missing or invalid '${key}'`, [{ path: key, message: "expected a string" }]);
  return value;
}
