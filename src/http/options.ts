import type { EventStore } from "../protocol/index.js";

/** Legacy (2025-era) session options. */
export interface SessionSettings {
  /** New sessions past this count are refused with 503. Default 1000. */
  maxSessions?: number;
  /** A session with no request for this long is closed. Default 30 minutes. */
  idleTimeoutMs?: number;
  /** Where SSE events are kept for `Last-Event-ID` resumption. Default: an in-memory store. */
  eventStore?: EventStore;
  /** The `retry` hint sent to clients for reconnecting. */
  retryIntervalMs?: number;
}

/** CORS for browser clients: explicit origins only, never `*` by accident. */
export interface CorsOptions {
  origins: readonly string[];
  /** Extra request headers to allow. */
  allowHeaders?: readonly string[];
}

/** How the MCP endpoint is served over HTTP. */
export interface HttpOptions {
  /** The MCP endpoint path. Default `/mcp` (or `MCPKIT_PATH`). */
  path?: string;
  /**
   * Serve 2025-era clients statelessly (the default). Set `false` (or pass
   * `sessions`) for sessionful legacy serving: server-to-client requests,
   * standalone SSE streams and resumability for 2025 clients.
   */
  stateless?: boolean;
  sessions?: SessionSettings;
  /** Answer with JSON only, never SSE (mid-call notifications are then dropped). */
  jsonResponse?: boolean;
  cors?: CorsOptions;
  /**
   * Host names the `Host` header may carry. Default: localhost names when the
   * server binds to a loopback address; otherwise no check.
   */
  allowedHosts?: readonly string[];
  /** Origins allowed besides those on an allowed host (the `cors` origins are allowed too). */
  allowedOrigins?: readonly string[];
  /** Body size limit in bytes, checked before parsing. Default 4 MiB. */
  maxBodyBytes?: number;
  /** JSON nesting limit, checked before parsing. Default 64. */
  maxJsonDepth?: number;
  /** Health route path, or `false` for none. Default `/health`. */
  healthPath?: string | false;
}

/** The loopback names the DNS-rebinding check allows by default. */
export const LOCALHOST_NAMES: readonly string[] = ["localhost", "127.0.0.1", "::1"];

/** Whether a bind address is loopback-only. */
export function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || host === "[::1]" || host.startsWith("127.");
}
