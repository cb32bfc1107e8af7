/**
 * mcpkit: build MCP servers from plain functions.
 *
 * @example
 * ```ts
 * import { FastMCP } from "mcpkit";
 * import { z } from "zod";
 *
 * const mcp = new FastMCP({ name: "Demo" });
 * mcp.tool({ name: "add", input: z.object({ a: z.number(), b: z.number() }) }, ({ a, b }) => a + b);
 * await mcp.run();
 * ```
 */
export { FastMCP, combineLifespans, readEnvSettings, type FastMCPOptions, type RunOptions, type HttpHandle, type Lifespan, type EnvSettings, type ServerLogLevel } from "./server/index.js";
export {
  Tool,
  Resource,
  ResourceTemplate,
  Prompt,
  ToolResult,
  ResourceResult,
  PromptResult,
  UriTemplate,
  UriTemplateError,
  message,
  image,
  audio,
  file,
  type ToolOptions,
  type ToolHandler,
  type ToolArgs,
  type ToolResultInit,
  type ResourceOptions,
  type ResourceTemplateOptions,
  type ResourceTemplateHandler,
  type ResourceContentInit,
  type PromptOptions,
  type PromptHandler,
  type PromptArgs,
  type Role,
  type Completer,
  type CompletionContext,
  type BinaryData,
  type FileOptions,
  type UriTemplateVariables,
  type ComponentOptions,
} from "./components/index.js";
export {
  Context,
  Ask,
  type ElicitOptions,
  type SampleOptions,
  type SampleResult,
  type RequestInfo,
  type SessionInfo,
  type ElicitationResult,
  type AcceptedElicitation,
  type DeclinedElicitation,
  type CancelledElicitation,
} from "./context/index.js";
export {
  McpkitError,
  ToolError,
  ResourceError,
  PromptError,
  NotFoundError,
  ValidationError,
  ErrorCodes,
  type ErrorCode,
  type ValidationIssue,
} from "./errors/index.js";
export type { Middleware, MiddlewareContext, Hook, Next, CallToolParams, ReadResourceParams, GetPromptParams } from "./middleware/index.js";
export { LocalProvider, visibility, type Provider, type Transform, type VisibilityRule, type DuplicatePolicy, type Component, type ComponentKind } from "./providers/index.js";
export { InMemoryEventStore, type EventStore, type HttpOptions, type SessionSettings, type CorsOptions } from "./http/index.js";
export type { SchemaLike, JsonSchema, InferOutput, StandardSchemaV1 } from "./schema/index.js";
export type {
  CallToolResult,
  ContentBlock,
  TextContent,
  ImageContent,
  AudioContent,
  EmbeddedResource,
  ResourceLink,
  ReadResourceResult,
  GetPromptResult,
  PromptMessage,
  ToolAnnotations,
  Icon,
  Implementation,
  LoggingLevel,
  Root,
  SamplingMessage,
  CreateMessageResult,
  ClientCapabilities,
  AuthInfo,
  MessageTransport,
} from "./protocol/index.js";
export { VERSION } from "./version.js";
