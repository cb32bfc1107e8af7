import { ErrorCodes, type ErrorCode } from "./codes.js";

/** Options every mcpkit error accepts. */
export interface McpkitErrorOptions {
  /** The error that led to this one; always kept. */
  cause?: unknown;
  /** Extra, JSON-serialisable detail sent as JSON-RPC `data` where the error reaches the wire. */
  data?: unknown;
}

/**
 * The base class of every error mcpkit throws. `code` is a stable `MCPKIT_*`
 * string; `cause` is kept so nothing is lost between layers.
 *
 * @example
 * ```ts
 * try { await mcp.callTool("nope", {}); }
 * catch (e) { if (e instanceof McpkitError && e.code === "MCPKIT_NOT_FOUND") ... }
 * ```
 */
export class McpkitError extends Error {
  /** The stable error code. */
  readonly code: ErrorCode;
  /** Optional detail for the wire (`error.data`). */
  readonly data: unknown;

  constructor(code: ErrorCode, message: string, options: McpkitErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.data = options.data;
  }
}

/**
 * Throw from a tool to fail the call with a message the client sees, even when
 * `maskErrorDetails` is on. The call answers `isError: true`.
 *
 * @example
 * ```ts
 * mcp.tool({ name: "divide", input: z.object({ a: z.number(), b: z.number() }) }, ({ a, b }) => {
 *   if (b === 0) throw new ToolError("Cannot divide by zero");
 *   return a / b;
 * });
 * ```
 */
export class ToolError extends McpkitError {
  constructor(message: string, options: McpkitErrorOptions = {}) {
    super(ErrorCodes.TOOL_ERROR, message, options);
  }
}

/** Throw from a resource handler to fail the read with a message the client sees. */
export class ResourceError extends McpkitError {
  constructor(message: string, options: McpkitErrorOptions = {}) {
    super(ErrorCodes.RESOURCE_ERROR, message, options);
  }
}

/** Throw from a prompt handler to fail the render with a message the client sees. */
export class PromptError extends McpkitError {
  constructor(message: string, options: McpkitErrorOptions = {}) {
    super(ErrorCodes.PROMPT_ERROR, message, options);
  }
}

/** A component is unknown, hidden, or not visible to this caller. */
export class NotFoundError extends McpkitError {
  constructor(message: string, options: McpkitErrorOptions = {}) {
    super(ErrorCodes.NOT_FOUND, message, options);
  }
}

/** Arguments failed validation; `issues` lists each problem with its path. */
export class ValidationError extends McpkitError {
  /** One entry per failed check: where and what. */
  readonly issues: readonly ValidationIssue[];

  constructor(message: string, issues: readonly ValidationIssue[], options: McpkitErrorOptions = {}) {
    super(ErrorCodes.INVALID_ARGUMENTS, message, { ...options, data: options.data ?? { issues } });
    this.issues = issues;
  }
}

/** One validation failure: a dotted path (empty for the root) and a message. */
export interface ValidationIssue {
  readonly path: string;
  readonly message: string;
}

/** Whether `error` carries a message written for the client (never masked). */
export function isClientFacingError(error: unknown): error is McpkitError {
  return (
    error instanceof McpkitError &&
    error.code !== ErrorCodes.INTERNAL
  );
}
