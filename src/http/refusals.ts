import { WireErrorCodes } from "../protocol/index.js";

/**
 * What the MCP endpoint answers a request it refuses before reading it as
 * JSON-RPC: the hono app (src/http/app.ts) and the Node front
 * (src/http/node-front.ts) both answer from here, so the two paths cannot
 * drift apart.
 */
export interface Refusal {
  readonly status: number;
  readonly code: number;
  readonly message: string;
}

/** The refusals, one per check made before parsing. */
export const Refusals = {
  host: { status: 403, code: WireErrorCodes.InvalidRequest, message: "Forbidden: Host header is not allowed" },
  origin: { status: 403, code: WireErrorCodes.InvalidRequest, message: "Forbidden: Origin is not allowed" },
  mediaType: { status: 415, code: WireErrorCodes.InvalidRequest, message: "Unsupported Media Type: Content-Type must be application/json" },
  notJson: { status: 400, code: WireErrorCodes.ParseError, message: "Parse error: the body is not valid JSON" },
  tooLarge: (maxBytes: number): Refusal => ({ status: 413, code: WireErrorCodes.InvalidRequest, message: `Request body exceeds ${maxBytes} bytes` }),
  tooDeep: (maxDepth: number): Refusal => ({ status: 400, code: WireErrorCodes.InvalidRequest, message: `Request JSON nests deeper than ${maxDepth} levels` }),
} as const;

/** The JSON-RPC error body of a refusal: no id, since the request was not read. */
export function refusalBody(code: number, message: string): string {
  return JSON.stringify({ jsonrpc: "2.0", error: { code, message }, id: null });
}

/** The media type of a Content-Type header, without parameters, lower-cased. */
export function mediaType(header: string | null | undefined): string {
  return (header ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
}
