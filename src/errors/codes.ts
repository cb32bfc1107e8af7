/**
 * Every stable error code mcpkit raises. The string is part of the public
 * contract: match on `error.code`, never on the message.
 *
 * `docs/errors.md` lists each code; a test keeps the two in step.
 */
export const ErrorCodes = {
  /** A tool's own `ToolError`: the message reaches the client. */
  TOOL_ERROR: "MCPKIT_TOOL_ERROR",
  /** A resource handler's own `ResourceError`: the message reaches the client. */
  RESOURCE_ERROR: "MCPKIT_RESOURCE_ERROR",
  /** A prompt handler's own `PromptError`: the message reaches the client. */
  PROMPT_ERROR: "MCPKIT_PROMPT_ERROR",
  /** No tool, resource, template or prompt answers to that name or URI (or it is hidden). */
  NOT_FOUND: "MCPKIT_NOT_FOUND",
  /** Arguments failed the component's input schema. */
  INVALID_ARGUMENTS: "MCPKIT_INVALID_ARGUMENTS",
  /** A handler returned structured output that fails its output schema. */
  INVALID_OUTPUT: "MCPKIT_INVALID_OUTPUT",
  /** A schema could not be converted to JSON Schema at registration. */
  INVALID_SCHEMA: "MCPKIT_INVALID_SCHEMA",
  /** A component definition is invalid (bad name, URI, template/handler mismatch...). */
  INVALID_COMPONENT: "MCPKIT_INVALID_COMPONENT",
  /** A component with the same key is already registered and the duplicate policy is `error`. */
  DUPLICATE_COMPONENT: "MCPKIT_DUPLICATE_COMPONENT",
  /** A resource template string is malformed. */
  INVALID_URI_TEMPLATE: "MCPKIT_INVALID_URI_TEMPLATE",
  /** A handler's return value cannot be converted to an MCP result. */
  INVALID_RESULT: "MCPKIT_INVALID_RESULT",
  /** The client did not declare a capability the call needs (elicitation, sampling, roots). */
  CAPABILITY_MISSING: "MCPKIT_CAPABILITY_MISSING",
  /** A server-to-client request is impossible on this connection (stateless legacy HTTP). */
  NO_CLIENT_CHANNEL: "MCPKIT_NO_CLIENT_CHANNEL",
  /** An option or setting has an invalid value. */
  INVALID_SETTING: "MCPKIT_INVALID_SETTING",
  /** The request was cancelled by the client or the client went away. */
  CANCELLED: "MCPKIT_CANCELLED",
  /** A context feature was used outside a request. */
  NO_REQUEST: "MCPKIT_NO_REQUEST",
  /** The server is not in a state to do that (already running, closed...). */
  INVALID_STATE: "MCPKIT_INVALID_STATE",
  /** Client side: a tool answered `isError` and the call asked to raise (`ToolCallError`). */
  TOOL_CALL_FAILED: "MCPKIT_TOOL_CALL_FAILED",
  /** Client side: the server answered a request with a JSON-RPC error (`RemoteError`, with `rpcCode`). */
  REMOTE_ERROR: "MCPKIT_REMOTE_ERROR",
  /** Client side: no answer within the timeout. */
  TIMEOUT: "MCPKIT_TIMEOUT",
  /** Client side: the server could not be reached, or the connection broke. */
  CONNECTION_FAILED: "MCPKIT_CONNECTION_FAILED",
  /** Client side: OAuth authorization failed or the server kept refusing the client's credentials. */
  AUTH_FAILED: "MCPKIT_AUTH_FAILED",
  /** Storage: a key, value or TTL a store cannot take (too long, not JSON, not a positive number...). */
  STORAGE_INVALID: "MCPKIT_STORAGE_INVALID",
  /** Storage: stored data failed its integrity check (tampered, corrupted, or the wrong encryption key). */
  STORAGE_CORRUPT: "MCPKIT_STORAGE_CORRUPT",
  /** Storage: the store is closed or its backend cannot be reached. */
  STORAGE_UNAVAILABLE: "MCPKIT_STORAGE_UNAVAILABLE",
  /** An unexpected exception in a handler (masked when `maskErrorDetails` is on). */
  INTERNAL: "MCPKIT_INTERNAL",
} as const;

/** One of the stable `MCPKIT_*` error codes. */
export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];
