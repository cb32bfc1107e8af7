import type { Context } from "../context/index.js";
import { ErrorCodes, McpkitError } from "../errors/index.js";
import type { ReadResourceResult, WireResource } from "../protocol/index.js";
import { componentKey, normaliseBase, wireBase, type ComponentBase, type ComponentOptions } from "./component.js";
import { ResourceResult, toResourceContents } from "./resource-result.js";

/** How to declare a static resource or a resource template. */
export interface ResourceOptions<U extends string = string> extends ComponentOptions {
  /** A URI, or an RFC 6570 template such as `users://{id}/profile`. */
  uri: U;
  /** Defaults to the URI. */
  name?: string;
  mimeType?: string;
  /** Size in bytes, when known up front. */
  size?: number;
  annotations?: { audience?: ("user" | "assistant")[]; priority?: number; lastModified?: string };
}

/** A static resource handler. */
export type ResourceHandler<L = unknown> = (params: Record<string, never>, ctx: Context<L>) => unknown;

/** A registered static resource. */
export class Resource {
  readonly kind = "resource" as const;
  readonly uri: string;
  readonly name: string;
  readonly mimeType: string | undefined;
  readonly base: ComponentBase;
  private readonly options: ResourceOptions;
  private readonly handler: (params: never, ctx: Context<never>) => unknown;
  private wire: WireResource | undefined;

  constructor(options: ResourceOptions, handler: (params: never, ctx: Context<never>) => unknown) {
    this.uri = checkUri(options.uri);
    this.name = options.name ?? options.uri;
    this.mimeType = options.mimeType;
    this.base = normaliseBase(options, `Resource '${this.uri}'`);
    if (typeof handler !== "function") throw new McpkitError(ErrorCodes.INVALID_COMPONENT, `Resource '${this.uri}': handler must be a function`);
    this.options = options;
    this.handler = handler;
  }

  /** `resource:<uri>@<version>`. */
  get key(): string {
    return componentKey("resource", this.uri, this.base.version);
  }

  /** The `resources/list` entry. */
  toWire(): WireResource {
    this.wire ??= {
      uri: this.uri,
      name: this.name,
      ...wireBase(this.base),
      ...(this.mimeType === undefined ? {} : { mimeType: this.mimeType }),
      ...(this.options.size === undefined ? {} : { size: this.options.size }),
      ...(this.options.annotations === undefined ? {} : { annotations: this.options.annotations }),
    } as WireResource;
    return this.wire;
  }

  /** A copy under another URI (namespacing). */
  withUri(uri: string): Resource {
    const copy = Object.create(Resource.prototype) as Resource;
    Object.assign(copy, this, { uri, wire: undefined, name: this.name === this.uri ? uri : this.name });
    return copy;
  }

  /** Run the handler and convert what it returned. */
  async read(ctx: Context<unknown>, requestedUri = this.uri): Promise<ReadResourceResult> {
    const value = await this.handler({} as never, ctx as Context<never>);
    return {
      contents: toResourceContents(value, requestedUri, this.mimeType),
      ...(value instanceof ResourceResult && value.meta !== undefined ? { _meta: value.meta } : {}),
    };
  }
}

/** A URI must be absolute: a scheme, a colon, then something. */
export function checkUri(uri: unknown): string {
  if (typeof uri !== "string" || !/^[A-Za-z][A-Za-z0-9+.-]*:./.test(uri)) {
    throw new McpkitError(ErrorCodes.INVALID_COMPONENT, `Invalid resource URI ${JSON.stringify(uri)}: it needs a scheme, as in 'config://app'`);
  }
  return uri;
}
