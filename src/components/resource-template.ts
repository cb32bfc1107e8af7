import type { Context } from "../context/index.js";
import { ErrorCodes, McpkitError } from "../errors/index.js";
import type { ReadResourceResult, WireResourceTemplate } from "../protocol/index.js";
import { componentKey, normaliseBase, wireBase, type ComponentBase } from "./component.js";
import type { Completer } from "./completion.js";
import type { ResourceOptions } from "./resource.js";
import { ResourceResult, toResourceContents } from "./resource-result.js";
import { UriTemplate, type UriTemplateVariables } from "./uri-template.js";

/** Options for a template: a resource's options plus argument completion. */
export interface ResourceTemplateOptions<U extends string = string> extends ResourceOptions<U> {
  /** Completion for template variables, by variable name. */
  complete?: { [K in keyof UriTemplateVariables<U>]?: Completer };
}

/** A template handler: the URI's variables, typed from the template string. */
export type ResourceTemplateHandler<U extends string, L = unknown> = (params: UriTemplateVariables<U>, ctx: Context<L>) => unknown;

/** A registered resource template. */
export class ResourceTemplate {
  readonly kind = "template" as const;
  readonly template: UriTemplate;
  readonly name: string;
  readonly mimeType: string | undefined;
  readonly base: ComponentBase;
  readonly completers: Readonly<Record<string, Completer>>;
  private readonly options: ResourceTemplateOptions;
  private readonly handler: (params: never, ctx: Context<never>) => unknown;
  private wire: WireResourceTemplate | undefined;

  constructor(options: ResourceTemplateOptions, handler: (params: never, ctx: Context<never>) => unknown) {
    this.template = UriTemplate.parse(options.uri);
    const owner = `Resource template '${options.uri}'`;
    if (!this.template.isTemplate) throw new McpkitError(ErrorCodes.INVALID_COMPONENT, `${owner}: has no {variables}`);
    if (typeof handler !== "function") throw new McpkitError(ErrorCodes.INVALID_COMPONENT, `${owner}: handler must be a function`);
    this.name = options.name ?? options.uri;
    this.mimeType = options.mimeType;
    this.base = normaliseBase(options, owner);
    const completers = (options.complete ?? {}) as Record<string, Completer>;
    for (const variable of Object.keys(completers)) {
      if (!this.template.variables.includes(variable)) {
        throw new McpkitError(ErrorCodes.INVALID_COMPONENT, `${owner}: completion given for unknown variable '${variable}'`);
      }
    }
    this.completers = completers;
    this.options = options;
    this.handler = handler;
  }

  /** The template string. */
  get uriTemplate(): string {
    return this.template.template;
  }

  /** `template:<uriTemplate>@<version>`. */
  get key(): string {
    return componentKey("template", this.uriTemplate, this.base.version);
  }

  /** The `resources/templates/list` entry. */
  toWire(): WireResourceTemplate {
    this.wire ??= {
      uriTemplate: this.uriTemplate,
      name: this.name,
      ...wireBase(this.base),
      ...(this.mimeType === undefined ? {} : { mimeType: this.mimeType }),
      ...(this.options.annotations === undefined ? {} : { annotations: this.options.annotations }),
    } as WireResourceTemplate;
    return this.wire;
  }

  /** A copy under another template string (namespacing). */
  withTemplate(uri: string): ResourceTemplate {
    const copy = Object.create(ResourceTemplate.prototype) as ResourceTemplate;
    Object.assign(copy, this, {
      template: UriTemplate.parse(uri),
      wire: undefined,
      name: this.name === this.uriTemplate ? uri : this.name,
    });
    return copy;
  }

  /** The variables of `uri`, or `undefined` when it does not match. */
  match(uri: string): Record<string, string> | undefined {
    return this.template.match(uri) as Record<string, string> | undefined;
  }

  /** Run the handler for a matched URI. */
  async read(uri: string, params: Record<string, string>, ctx: Context<unknown>): Promise<ReadResourceResult> {
    const value = await this.handler(params as never, ctx as Context<never>);
    return {
      contents: toResourceContents(value, uri, this.mimeType),
      ...(value instanceof ResourceResult && value.meta !== undefined ? { _meta: value.meta } : {}),
    };
  }
}
