import type { ProtocolError } from "@modelcontextprotocol/server";
import { ErrorCodes, McpkitError } from "../errors/index.js";
import { loadedSdk, sdk } from "./sdk-loader.js";

/** JSON-RPC error codes mcpkit answers with. */
export const WireErrorCodes = {
  ParseError: -32700,
  InvalidRequest: -32600,
  MethodNotFound: -32601,
  InvalidParams: -32602,
  InternalError: -32603,
  MissingRequiredClientCapability: -32021,
} as const;

/** A JSON-RPC error as it goes on the wire (before an era's codec renumbers it). */
export interface WireError {
  readonly code: number;
  readonly message: string;
  readonly data?: unknown;
}

/**
 * The one place local errors become wire errors. Anything not an mcpkit or
 * protocol error is an internal error whose message is not sent: handlers
 * decide what reaches clients by throwing mcpkit's error classes. Needs no
 * SDK: the fast paths answer errors before it is loaded.
 */
export function toWireError(error: unknown): WireError {
  if (isProtocolError(error)) return error.data === undefined ? { code: error.code, message: error.message } : { code: error.code, message: error.message, data: error.data };
  if (!(error instanceof McpkitError)) return { code: WireErrorCodes.InternalError, message: "Internal error" };
  switch (error.code) {
    case ErrorCodes.NOT_FOUND: {
      const uri = (error.data as { uri?: unknown } | undefined)?.uri;
      if (typeof uri === "string") return { code: WireErrorCodes.InvalidParams, message: error.message, data: { uri } };
      return { code: WireErrorCodes.InvalidParams, message: error.message };
    }
    case ErrorCodes.INVALID_ARGUMENTS:
    case ErrorCodes.INVALID_URI_TEMPLATE:
      return withData(WireErrorCodes.InvalidParams, error);
    case ErrorCodes.CAPABILITY_MISSING: {
      const kind = (error.data as { capability?: unknown } | undefined)?.capability;
      return {
        code: WireErrorCodes.MissingRequiredClientCapability,
        message: error.message,
        data: { requiredCapabilities: typeof kind === "string" ? { [kind]: {} } : {} },
      };
    }
    case ErrorCodes.CANCELLED:
      return { code: WireErrorCodes.InternalError, message: error.message };
    case ErrorCodes.RESOURCE_ERROR:
    case ErrorCodes.PROMPT_ERROR:
    case ErrorCodes.TOOL_ERROR:
    case ErrorCodes.NO_CLIENT_CHANNEL:
    case ErrorCodes.INVALID_RESULT:
    case ErrorCodes.INVALID_OUTPUT:
      return withData(WireErrorCodes.InternalError, error);
    default:
      return { code: WireErrorCodes.InternalError, message: "Internal error" };
  }
}

function withData(code: number, error: McpkitError): WireError {
  return error.data === undefined ? { code, message: error.message } : { code, message: error.message, data: error.data };
}

/**
 * The SDK's error for `error`, to throw from an SDK handler (which writes it
 * itself). The same mapping as `toWireError`, as the SDK's own classes, so its
 * HTTP transports pick the status they give each class.
 */
export function toProtocolError(error: unknown): ProtocolError {
  const { ProtocolError: ProtocolErrorClass, ResourceNotFoundError, MissingRequiredClientCapabilityError } = sdk();
  if (error instanceof ProtocolErrorClass) return error;
  const wire = toWireError(error);
  if (wire.code === WireErrorCodes.MissingRequiredClientCapability) {
    return new MissingRequiredClientCapabilityError(wire.data as { requiredCapabilities: Record<string, unknown> }, wire.message);
  }
  const uri = (wire.data as { uri?: unknown } | undefined)?.uri;
  if (error instanceof McpkitError && error.code === ErrorCodes.NOT_FOUND && typeof uri === "string") return new ResourceNotFoundError(uri, wire.message);
  return new ProtocolErrorClass(wire.code, wire.message, wire.data);
}

/** Where every SDK error carries the brands of its classes (the SDK's cross-copy `instanceof`). */
const SDK_ERROR_BRANDS = Symbol.for("mcp.sdk.errorBrands");

/**
 * An SDK `ProtocolError` (thrown by the SDK, or by a handler that imported
 * it). Before mcpkit has loaded the SDK, such an error can only come from a
 * handler's own import: the brand the SDK stamps on its errors tells it apart.
 */
function isProtocolError(error: unknown): error is ProtocolError {
  const loaded = loadedSdk();
  if (loaded !== undefined) return error instanceof loaded.server.ProtocolError;
  if (!(error instanceof Error) || typeof (error as { code?: unknown }).code !== "number") return false;
  const brands = (error as unknown as Record<symbol, unknown>)[SDK_ERROR_BRANDS] as { has?: (brand: string) => boolean } | undefined;
  return typeof brands?.has === "function" && brands.has("mcp.ProtocolError");
}
