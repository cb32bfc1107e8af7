import type { Prompt, Resource, ResourceTemplate, Tool } from "../components/index.js";
import type { Context } from "../context/index.js";
import type { CallToolResult, CompleteResult, GetPromptResult, ReadResourceResult } from "../protocol/index.js";

/** What a middleware sees of one MCP message. */
export interface MiddlewareContext<P = Record<string, unknown>> {
  /** The MCP method, e.g. `tools/call`. */
  readonly method: string;
  /** The message's params; pass a changed copy to `next` to rewrite them. */
  readonly params: P;
  readonly type: "request" | "notification";
  /** `client` for wire messages, `in-process` for `mcp.callTool(...)` and friends. */
  readonly source: "client" | "in-process";
  /** The request context the handler will get (its `state` is shared). */
  readonly context: Context;
  readonly timestamp: number;
}

/** Continue down the chain, optionally with rewritten params. */
export type Next<R, P = Record<string, unknown>> = (params?: P) => Promise<R>;

/** A hook around one kind of message. */
export type Hook<R, P = Record<string, unknown>> = (ctx: MiddlewareContext<P>, next: Next<R, P>) => Promise<R>;

/** `tools/call` params. */
export interface CallToolParams {
  name: string;
  arguments?: Record<string, unknown>;
  [key: string]: unknown;
}

/** `resources/read` params. */
export interface ReadResourceParams {
  uri: string;
  [key: string]: unknown;
}

/** `prompts/get` params. */
export interface GetPromptParams {
  name: string;
  arguments?: Record<string, string>;
  [key: string]: unknown;
}

/**
 * Code that wraps MCP messages: logging, timing, caching, rate limiting,
 * authorization... Every message passes through, including `initialize`,
 * `ping`, `server/discover` and client notifications; params rewritten with
 * `next(params)` apply to the operations mcpkit dispatches (tools, resources,
 * prompts, completion). Implement only the hooks you need. The first middleware
 * added is the outermost; within one middleware, `onMessage` wraps
 * `onRequest`/`onNotification`, which wraps the per-operation hook.
 *
 * @example
 * ```ts
 * mcp.use({
 *   async onCallTool(ctx, next) {
 *     const started = performance.now();
 *     try { return await next(); }
 *     finally { console.error(ctx.params.name, performance.now() - started); }
 *   },
 * });
 * ```
 */
export interface Middleware {
  onMessage?: Hook<unknown>;
  onRequest?: Hook<unknown>;
  onNotification?: Hook<unknown>;
  /** The 2025-era `initialize` handshake; `next()` resolves to the initialize result. */
  onInitialize?: Hook<unknown>;
  onListTools?: Hook<Tool[]>;
  onCallTool?: Hook<CallToolResult, CallToolParams>;
  onListResources?: Hook<Resource[]>;
  onListResourceTemplates?: Hook<ResourceTemplate[]>;
  onReadResource?: Hook<ReadResourceResult, ReadResourceParams>;
  onListPrompts?: Hook<Prompt[]>;
  onGetPrompt?: Hook<GetPromptResult, GetPromptParams>;
  onComplete?: Hook<CompleteResult>;
  onSubscribe?: Hook<Record<string, never>, ReadResourceParams>;
  onUnsubscribe?: Hook<Record<string, never>, ReadResourceParams>;
}

/** The per-operation hook for each method. */
export const OPERATION_HOOKS: Readonly<Record<string, keyof Middleware>> = {
  initialize: "onInitialize",
  "tools/list": "onListTools",
  "tools/call": "onCallTool",
  "resources/list": "onListResources",
  "resources/templates/list": "onListResourceTemplates",
  "resources/read": "onReadResource",
  "prompts/list": "onListPrompts",
  "prompts/get": "onGetPrompt",
  "completion/complete": "onComplete",
  "resources/subscribe": "onSubscribe",
  "resources/unsubscribe": "onUnsubscribe",
};

/**
 * Run `handler` inside every middleware. Params rewritten by an outer layer
 * reach the inner layers and the handler.
 */
export function runChain<R>(
  middlewares: readonly Middleware[],
  base: Omit<MiddlewareContext, "params">,
  params: Record<string, unknown>,
  handler: (params: Record<string, unknown>) => Promise<R>,
): Promise<R> {
  const opHook = OPERATION_HOOKS[base.method];
  const kindHook: keyof Middleware = base.type === "request" ? "onRequest" : "onNotification";
  const dispatch = (index: number, current: Record<string, unknown>): Promise<R> => {
    const middleware = middlewares[index];
    if (middleware === undefined) return handler(current);
    const inner = (p: Record<string, unknown>) => dispatch(index + 1, p);
    const layers = [middleware.onMessage, middleware[kindHook], opHook === undefined ? undefined : middleware[opHook]];
    return wrap(layers as (Hook<unknown> | undefined)[], 0, base, current, inner) as Promise<R>;
  };
  return dispatch(0, params);
}

function wrap(
  layers: readonly (Hook<unknown> | undefined)[],
  index: number,
  base: Omit<MiddlewareContext, "params">,
  params: Record<string, unknown>,
  inner: (params: Record<string, unknown>) => Promise<unknown>,
): Promise<unknown> {
  if (index === layers.length) return inner(params);
  const hook = layers[index];
  const next = (p?: Record<string, unknown>) => wrap(layers, index + 1, base, p ?? params, inner);
  if (hook === undefined) return next();
  return hook({ ...base, params }, next);
}
