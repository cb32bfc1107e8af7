import { ErrorCodes, McpkitError } from "../errors/index.js";
import { SdkClientError, SdkProtocolError } from "../protocol/client/index.js";

/** The server answered with a JSON-RPC error. */
export class RemoteError extends McpkitError {
  constructor(
    /** The JSON-RPC error code (-32602 invalid params, -32601 method not found...). */
    readonly rpcCode: number,
    message: string,
    data: unknown,
    cause: unknown,
  ) {
    super(ErrorCodes.REMOTE_ERROR, message, { data, cause });
  }
}

/** Map whatever the protocol layer threw to a typed mcpkit error, keeping it as `cause`. */
export function toClientError(error: unknown): unknown {
  if (error instanceof McpkitError) return error;
  if (error instanceof SdkProtocolError) {
    return new RemoteError(error.code, error.message, (error as { data?: unknown }).data, error);
  }
  if (error instanceof SdkClientError) {
    const code = String((error as { code?: unknown }).code);
    if (code === "REQUEST_TIMEOUT") return new McpkitError(ErrorCodes.TIMEOUT, error.message, { cause: error });
    if (code === "CONNECTION_CLOSED" || code === "NOT_CONNECTED" || code === "SEND_FAILED" || code.startsWith("CLIENT_HTTP")) {
      return new McpkitError(ErrorCodes.CONNECTION_FAILED, error.message, { cause: error });
    }
    return new McpkitError(ErrorCodes.INVALID_RESULT, error.message, { cause: error });
  }
  if (error instanceof Error && /ECONNREFUSED|fetch failed|ENOENT|spawn/i.test(`${error.message} ${String((error as { cause?: { code?: unknown } }).cause?.code ?? "")}`)) {
    return new McpkitError(ErrorCodes.CONNECTION_FAILED, error.message, { cause: error });
  }
  return error;
}
