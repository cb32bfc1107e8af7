import { ErrorCodes, McpkitError } from "../errors/index.js";
import { toClientError } from "./errors.js";
import type { ClientOptions } from "./options.js";

/**
 * Let `hook` see every inbound message: the SDK installs the transport's
 * `onmessage` when it connects, so the wrapping happens in the setter.
 */
export function tap<T extends object>(transport: T, hook: ClientOptions["onMessage"]): T {
  if (hook === undefined) return transport;
  let inner: ((message: Record<string, unknown>, extra?: unknown) => void) | undefined;
  Object.defineProperty(transport, "onmessage", {
    configurable: true,
    get: () => inner,
    set: (handler: typeof inner) => {
      inner =
        handler === undefined
          ? undefined
          : (message, extra) => {
              try {
                hook(message);
              } catch {
                // A failing tap must not break the connection.
              }
              handler(message, extra);
            };
    },
  });
  return transport;
}

/** The SDK's negotiation mode for an era choice (`modern` pins 2026-07-28). */
export function eraMode(era: "auto" | "legacy" | "modern"): "auto" | "legacy" | { pin: string } {
  return era === "modern" ? { pin: "2026-07-28" } : era;
}

/** Whether a failed connect means "this endpoint does not speak streamable HTTP" (try legacy SSE). */
export function refusedByServer(error: unknown): boolean {
  const text = `${error instanceof Error ? error.message : String(error)} ${JSON.stringify((error as { data?: unknown }).data ?? {})}`;
  return /\b(404|405)\b/.test(text);
}

/** A typed error for a failed connect, naming what the client tried to reach. */
export function connectError(label: string, error: unknown): McpkitError {
  const mapped = toClientError(error);
  if (mapped instanceof McpkitError && mapped.code !== ErrorCodes.INVALID_RESULT && mapped.code !== ErrorCodes.CONNECTION_FAILED) return mapped;
  const message = error instanceof Error ? error.message : String(error);
  return new McpkitError(ErrorCodes.CONNECTION_FAILED, `Could not connect to ${label}: ${message}`, { cause: error });
}
