import {
  MissingRequiredClientCapabilityError,
  ProtocolError,
  ProtocolErrorCode,
  ResourceNotFoundError,
} from "@modelcontextprotocol/server";
import { ErrorCodes, McpkitError } from "../errors/index.js";

/** JSON-RPC error codes mcpkit answers with. */
export const WireErrorCodes = {
  ParseError: -32700,
  InvalidRequest: -32600,
  MethodNotFound: -32601,
  InvalidParams: -32602,
  InternalError: -32603,
  MissingRequiredClientCapability: -32021,
} as const;

/**
 * The one place local errors become wire errors. Anything not an mcpkit or
 * protocol error is an internal error whose message is not sent: handlers
 * decide what reaches clients by throwing mcpkit's error classes.
 */
export function toProtocolError(error: unknown): ProtocolError {
  if (error instanceof ProtocolError) return error;
  if (!(error instanceof McpkitError)) {
    return new ProtocolError(ProtocolErrorCode.InternalError, "Internal error");
  }
  switch (error.code) {
    case ErrorCodes.NOT_FOUND: {
      const uri = (error.data as { uri?: unknown } | undefined)?.uri;
      if (typeof uri === "string") return new ResourceNotFoundError(uri, error.message);
      return new ProtocolError(ProtocolErrorCode.InvalidParams, error.message);
    }
    case ErrorCodes.INVALID_ARGUMENTS:
    case ErrorCodes.INVALID_URI_TEMPLATE:
      return new ProtocolError(ProtocolErrorCode.InvalidParams, error.message, error.data);
    case ErrorCodes.CAPABILITY_MISSING: {
      const kind = (error.data as { capability?: unknown } | undefined)?.capability;
      return new MissingRequiredClientCapabilityError(
        { requiredCapabilities: typeof kind === "string" ? { [kind]: {} } : {} },
        error.message,
      );
    }
    case ErrorCodes.CANCELLED:
      return new ProtocolError(ProtocolErrorCode.InternalError, error.message);
    case ErrorCodes.RESOURCE_ERROR:
    case ErrorCodes.PROMPT_ERROR:
    case ErrorCodes.TOOL_ERROR:
    case ErrorCodes.NO_CLIENT_CHANNEL:
    case ErrorCodes.INVALID_RESULT:
    case ErrorCodes.INVALID_OUTPUT:
      return new ProtocolError(ProtocolErrorCode.InternalError, error.message, error.data);
    default:
      return new ProtocolError(ProtocolErrorCode.InternalError, "Internal error");
  }
}
