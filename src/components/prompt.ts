import type { Context } from "../context/index.js";
import { ErrorCodes, McpkitError, ValidationError } from "../errors/index.js";
import type { GetPromptResult, PromptArgument, WirePrompt } from "../protocol/index.js";
import { compileSchema, formatIssues, isObjectSchema, type CompiledSchema, type InferOutput, type SchemaLike } from "../schema/index.js";
import { checkName, componentKey, normaliseBase, wireBase, type ComponentBase, type ComponentOptions } from "./component.js";
import type { Completer } from "./completion.js";
import { toPromptResult } from "./prompt-result.js";

/** How to declare a prompt. */
export interface PromptOptions<S extends SchemaLike | undefined = SchemaLike | undefined> extends ComponentOptions {
  name: string;
  /** The arguments' schema; an object whose properties become the prompt's arguments. */
  args?: S;
  /** Completion for arguments, by argument name. */
  complete?: Record<string, Completer>;
}

/** The arguments a prompt handler receives. */
export type PromptArgs<S> = S extends SchemaLike ? InferOutput<S> : Record<string, never>;

/** A prompt handler. Returns a string, messages, or a `PromptResult`. */
export type PromptHandler<S, L = unknown> = (args: PromptArgs<S>, ctx: Context<L>) => unknown;

/** A registered prompt. */
export class Prompt {
  readonly kind = "prompt" as const;
  readonly name: string;
  readonly base: ComponentBase;
  readonly completers: Readonly<Record<string, Completer>>;
  private readonly args: CompiledSchema | undefined;
  private readonly arguments: PromptArgument[] | undefined;
  /** Arguments whose schema is not a string: MCP sends strings, so these are parsed as JSON first. */
  private readonly jsonArgs: ReadonlySet<string>;
  private readonly handler: (args: never, ctx: Context<never>) => unknown;
  private wire: WirePrompt | undefined;

  constructor(options: PromptOptions, handler: (args: never, ctx: Context<never>) => unknown) {
    this.name = checkName(options.name, "prompt");
    const owner = `Prompt '${this.name}'`;
    if (typeof handler !== "function") throw new McpkitError(ErrorCodes.INVALID_COMPONENT, `${owner}: handler must be a function`);
    this.base = normaliseBase(options, owner);
    this.handler = handler;
    const jsonArgs = new Set<string>();
    if (options.args !== undefined) {
      this.args = compileSchema(options.args, "input", owner);
      if (!isObjectSchema(this.args.json)) throw new McpkitError(ErrorCodes.INVALID_SCHEMA, `${owner}: args must describe an object`);
      const properties = (this.args.json.properties ?? {}) as Record<string, Record<string, unknown>>;
      const required = new Set((this.args.json.required ?? []) as string[]);
      this.arguments = Object.entries(properties).map(([name, prop]) => {
        const own = typeof prop.description === "string" ? prop.description : undefined;
        let description = own;
        if (prop.type !== "string" && prop.type !== undefined) {
          jsonArgs.add(name);
          // MCP sends prompt arguments as strings: tell the client what JSON to send.
          const { description: _own, ...schema } = prop;
          const hint = `Provide as a JSON string matching this schema: ${JSON.stringify(schema)}`;
          description = own === undefined ? hint : `${own.replace(/\.?$/, ".")} ${hint}`;
        }
        return {
          name,
          ...(description === undefined ? {} : { description }),
          ...(required.has(name) && prop.default === undefined ? { required: true } : {}),
        };
      });
    }
    this.jsonArgs = jsonArgs;
    const completers = options.complete ?? {};
    for (const name of Object.keys(completers)) {
      if (!this.arguments?.some((a) => a.name === name)) {
        throw new McpkitError(ErrorCodes.INVALID_COMPONENT, `${owner}: completion given for unknown argument '${name}'`);
      }
    }
    this.completers = completers;
  }

  /** `prompt:<name>@<version>`. */
  get key(): string {
    return componentKey("prompt", this.name, this.base.version);
  }

  /** The `prompts/list` entry. */
  toWire(): WirePrompt {
    this.wire ??= {
      name: this.name,
      ...wireBase(this.base),
      ...(this.arguments === undefined ? {} : { arguments: this.arguments }),
    } as WirePrompt;
    return this.wire;
  }

  /** A copy under another name. */
  renamed(name: string): Prompt {
    const copy = Object.create(Prompt.prototype) as Prompt;
    Object.assign(copy, this, { name, wire: undefined });
    return copy;
  }

  /** Validate the arguments, run the handler, convert its messages. */
  async render(args: Record<string, unknown> | undefined, ctx: Context<unknown>): Promise<GetPromptResult> {
    const parsed = await this.parseArgs(args ?? {});
    const value = await this.handler(parsed as never, ctx as Context<never>);
    return toPromptResult(value, this.base.description);
  }

  private async parseArgs(args: Record<string, unknown>): Promise<unknown> {
    if (this.args === undefined) return args;
    const decoded: Record<string, unknown> = { ...args };
    for (const name of this.jsonArgs) {
      const raw = decoded[name];
      if (typeof raw !== "string") continue;
      try {
        decoded[name] = JSON.parse(raw);
      } catch {
        // Left as the string: validation then names the argument and the expected type.
      }
    }
    const check = await this.args.validate(decoded);
    if (!check.ok) throw new ValidationError(`Invalid arguments for prompt '${this.name}': ${formatIssues(check.issues)}`, check.issues);
    return check.value;
  }
}
