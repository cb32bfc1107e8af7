import type { Context } from "../context/index.js";
import { ErrorCodes, McpkitError, ToolError, ValidationError, isClientFacingError } from "../errors/index.js";
import { InputRequiredInterrupt, OUTPUT_SCHEMA, type CallToolResult, type ToolAnnotations, type WireTool } from "../protocol/index.js";
import { compileSchema, formatIssues, isObjectSchema, type CompiledSchema, type InferOutput, type SchemaLike } from "../schema/index.js";
import { checkName, componentKey, normaliseBase, wireBase, type ComponentBase, type ComponentOptions } from "./component.js";
import { toToolResult, type OutputShape } from "./tool-result.js";

/** How to declare a tool. */
export interface ToolOptions<S extends SchemaLike | undefined = SchemaLike | undefined> extends ComponentOptions {
  name: string;
  /** The arguments' schema (zod, valibot, arktype or raw JSON Schema); an object at its root. */
  input?: S;
  /** The structured output's schema; a non-object schema is wrapped as `{ result }`. */
  output?: SchemaLike;
  annotations?: ToolAnnotations;
  /** Abort the handler's signal and fail the call after this many milliseconds. */
  timeoutMs?: number;
}

/** The arguments a handler receives for an input schema. */
export type ToolArgs<S> = S extends SchemaLike ? InferOutput<S> : Record<string, never>;

/** A tool handler: typed arguments and the request context; returns anything convertible. */
export type ToolHandler<S, L = unknown> = (args: ToolArgs<S>, ctx: Context<L>) => unknown;

const EMPTY_INPUT = Object.freeze({ type: "object", properties: {} });

/** Options that shape how a call runs, decided by the server. */
export interface RunOptions {
  readonly maskErrorDetails: boolean;
}

/** A registered tool: its wire description, converted schemas and handler. */
export class Tool {
  readonly kind = "tool" as const;
  readonly name: string;
  readonly base: ComponentBase;
  readonly annotations: ToolAnnotations | undefined;
  readonly timeoutMs: number | undefined;
  private readonly input: CompiledSchema | undefined;
  private readonly output: CompiledSchema | undefined;
  private readonly outputJson: Record<string, unknown> | undefined;
  private readonly shape: OutputShape;
  private readonly handler: (args: never, ctx: Context<never>) => unknown;
  private wire: WireTool | undefined;

  constructor(options: ToolOptions, handler: (args: never, ctx: Context<never>) => unknown) {
    this.name = checkName(options.name, "tool");
    const owner = `Tool '${this.name}'`;
    if (typeof handler !== "function") throw new McpkitError(ErrorCodes.INVALID_COMPONENT, `${owner}: handler must be a function`);
    this.base = normaliseBase(options, owner);
    this.annotations = options.annotations;
    this.timeoutMs = options.timeoutMs;
    this.handler = handler;
    if (options.input !== undefined) {
      this.input = compileSchema(options.input, "input", owner);
      if (!isObjectSchema(this.input.json)) {
        throw new McpkitError(ErrorCodes.INVALID_SCHEMA, `${owner}: the input schema must describe an object`);
      }
    }
    if (options.output !== undefined) {
      this.output = compileSchema(options.output, "output", owner);
      const wrapped = !isObjectSchema(this.output.json);
      this.shape = { declared: true, wrapped };
      this.outputJson = wrapped
        ? { type: "object", properties: { result: stripDialect(this.output.json) }, required: ["result"], "x-mcpkit-wrap-result": true }
        : { ...this.output.json };
    } else {
      this.shape = { declared: false, wrapped: false };
    }
  }

  /** `tool:<name>@<version>`. */
  get key(): string {
    return componentKey("tool", this.name, this.base.version);
  }

  /** The `tools/list` entry, built once. */
  toWire(): WireTool {
    this.wire ??= {
      name: this.name,
      ...wireBase(this.base),
      inputSchema: (this.input?.json ?? EMPTY_INPUT) as WireTool["inputSchema"],
      ...(this.outputJson === undefined ? {} : { outputSchema: this.outputJson as WireTool["outputSchema"] }),
      ...(this.annotations === undefined ? {} : { annotations: this.annotations }),
    } as WireTool;
    return this.wire;
  }

  /** A copy under another name (namespacing, renaming), sharing handler and schemas. */
  renamed(name: string): Tool {
    const copy = Object.create(Tool.prototype) as Tool;
    Object.assign(copy, this, { name, wire: undefined });
    return copy;
  }

  /**
   * Validate, run and convert. Handler failures become `isError` results; a
   * `ToolError` message always reaches the client, other messages only when
   * error details are not masked.
   */
  async run(args: Record<string, unknown> | undefined, ctx: Context<unknown>, options: RunOptions): Promise<CallToolResult> {
    let result: CallToolResult;
    try {
      const parsed = await this.parseArgs(args ?? {});
      const value = await this.invoke(parsed, ctx);
      result = toToolResult(value, this.shape);
      if (!result.isError) await this.checkOutput(result);
    } catch (error) {
      if (error instanceof InputRequiredInterrupt) throw error;
      result = { content: [{ type: "text", text: this.errorText(error, options) }], isError: true };
    }
    if (this.outputJson !== undefined) Object.defineProperty(result, OUTPUT_SCHEMA, { value: this.outputJson });
    return result;
  }

  private async parseArgs(args: Record<string, unknown>): Promise<unknown> {
    if (this.input === undefined) return args;
    const check = await this.input.validate(args);
    if (!check.ok) {
      throw new ValidationError(`Invalid arguments for tool '${this.name}': ${formatIssues(check.issues)}`, check.issues);
    }
    return check.value;
  }

  private async invoke(args: unknown, ctx: Context<unknown>): Promise<unknown> {
    if (this.timeoutMs === undefined) return this.handler(args as never, ctx as Context<never>);
    // The handler sees a context whose signal also aborts on timeout, so it can stop its work;
    // everything else (state, lifespan, client channel) is the request's own context.
    const expired = new AbortController();
    const timed = Object.create(ctx, { signal: { value: AbortSignal.any([ctx.signal, expired.signal]) } }) as Context<never>;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const error = new ToolError(`Tool '${this.name}' timed out after ${this.timeoutMs} ms`);
        expired.abort(error);
        reject(error);
      }, this.timeoutMs);
    });
    try {
      return await Promise.race([(async () => this.handler(args as never, timed))(), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async checkOutput(result: CallToolResult): Promise<void> {
    if (this.output === undefined) return;
    if (result.structuredContent === undefined) {
      throw new McpkitError(ErrorCodes.INVALID_OUTPUT, `Tool '${this.name}' declares an output schema but returned no structured content`);
    }
    const value = this.shape.wrapped ? (result.structuredContent as { result?: unknown }).result : result.structuredContent;
    const check = await this.output.validate(value);
    if (!check.ok) {
      throw new McpkitError(ErrorCodes.INVALID_OUTPUT, `Tool '${this.name}' returned output that fails its schema: ${formatIssues(check.issues)}`);
    }
  }

  private errorText(error: unknown, options: RunOptions): string {
    if (isClientFacingError(error)) return error.message;
    if (options.maskErrorDetails) return `Error calling tool '${this.name}'`;
    const message = error instanceof Error ? error.message : String(error);
    return `Error calling tool '${this.name}': ${message}`;
  }
}

function stripDialect(json: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const { $schema: _dialect, ...rest } = json;
  return rest;
}
