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

/** The messages of the SDK client's own structured-output check in `callTool`. */
const LOCAL_OUTPUT_CHECK = /^(Structured content does not match the tool's output schema|Tool .+ has an output schema but did not return structured content|Failed to validate structured content)/;

/** Map whatever the protocol layer threw to a typed mcpkit error, keeping it as `cause`. */
export function toClientError(error: unknown): unknown {
  if (error instanceof McpkitError) return error;
  // An mcpkit error raised inside the transport (the OAuth layer) and wrapped by the SDK surfaces as itself.
  const inner = mcpkitCause(error);
  if (inner !== undefined) return inner;
  if (error instanceof SdkProtocolError) {
    // The SDK client checks structured output against the tool's outputSchema itself and
    // throws a ProtocolError (-32602) locally: that is not the server answering with an error.
    if (LOCAL_OUTPUT_CHECK.test(error.message)) return new McpkitError(ErrorCodes.INVALID_OUTPUT, error.message, { cause: error });
    return new RemoteError(error.code, error.message, (error as { data?: unknown }).data, error);
  }
  // A response body that is not JSON (the HTTP transport's `response.json()`).
  if (error instanceof SyntaxError) {
    return new McpkitError(ErrorCodes.INVALID_RESULT, `The server sent a response that is not valid JSON: ${error.message}`, { cause: error });
  }
  if (error instanceof SdkClientError) {
    const code = String((error as { code?: unknown }).code);
    // An HTTP error status whose body is a JSON-RPC error (the 2026 HTTP binding answers -32601 with 404): the server did answer.
    const rpc = rpcErrorIn((error as { data?: { text?: unknown } }).data?.text);
    if (rpc !== undefined) return new RemoteError(rpc.code, rpc.message, rpc.data, error);
    if (code === "REQUEST_TIMEOUT") {
      // The SDK reports an aborted signal with this code too, but only a real timeout carries its limit as data.
      if ((error as { data?: unknown }).data === undefined) return new McpkitError(ErrorCodes.CANCELLED, `The request was cancelled: ${error.message}`, { cause: error });
      return new McpkitError(ErrorCodes.TIMEOUT, error.message, { cause: error });
    }
    if (code === "CONNECTION_CLOSED" || code === "NOT_CONNECTED" || code === "SEND_FAILED" || code.startsWith("CLIENT_HTTP")) {
      return new McpkitError(ErrorCodes.CONNECTION_FAILED, error.message, { cause: error });
    }
    return new McpkitError(ErrorCodes.INVALID_RESULT, error.message, { cause: error });
  }
  // "Not connected": a request after the transport closed; "terminated"/UND_ERR_*: the socket dropped mid-answer.
  if (error instanceof Error && /ECONNREFUSED|ECONNRESET|EPIPE|UND_ERR|fetch failed|terminated|Not connected|ENOENT|spawn/i.test(`${error.message} ${String((error as { cause?: { code?: unknown } }).cause?.code ?? "")}`)) {
    return new McpkitError(ErrorCodes.CONNECTION_FAILED, error.message, { cause: error });
  }
  return error;
}

function rpcErrorIn(text: unknown): { code: number; message: string; data: unknown } | undefined {
  if (typeof text !== "string") return undefined;
  try {
    const error = (JSON.parse(text) as { error?: { code?: unknown; message?: unknown; data?: unknown } } | null)?.error;
    if (typeof error?.code !== "number" || typeof error.message !== "string") return undefined;
    return { code: error.code, message: error.message, data: error.data };
  } catch {
    return undefined;
  }
}

function mcpkitCause(error: unknown): McpkitError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === "object" && current !== null; depth++) {
    current = (current as { cause?: unknown }).cause;
    if (current instanceof McpkitError) return current;
  }
  return undefined;
}
