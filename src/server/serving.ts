import { createApp, InMemoryEventStore, isLoopback, LOCALHOST_NAMES, type AppSettings, type CustomRoute, type HttpOptions } from "../http/index.js";
import { createHttpServing, type Connections, type HttpServing, type ProtocolHost } from "../protocol/index.js";
import type { Hono } from "hono";

const DEFAULT_MAX_BODY = 4 * 1024 * 1024;
const DEFAULT_MAX_DEPTH = 64;

/** An HTTP face of a server: the hono app, the MCP endpoint behind it, and what both were built from. */
export interface HttpFace {
  readonly app: Hono;
  readonly serving: HttpServing;
  readonly settings: AppSettings;
  readonly routes: readonly CustomRoute[];
}

/** Build the hono app and MCP endpoint from options; `bindHost` turns on DNS-rebinding checks for loopback binds. */
export function buildHttpFace(
  host: ProtocolHost,
  connections: Connections,
  options: HttpOptions & { defaultPath: string; jsonDefault: boolean; statelessDefault: boolean; serverName: string },
  routes: readonly CustomRoute[],
  bindHost: string | undefined,
  onerror: (error: Error) => void,
): HttpFace {
  const stateless = options.sessions === undefined ? (options.stateless ?? options.statelessDefault) : false;
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY;
  const serving = createHttpServing(host, connections, {
    responseMode: (options.jsonResponse ?? options.jsonDefault) ? "json" : "auto",
    maxBodyBytes,
    sessions: stateless
      ? undefined
      : {
          maxSessions: options.sessions?.maxSessions ?? 1000,
          idleTimeoutMs: options.sessions?.idleTimeoutMs ?? 30 * 60_000,
          eventStore: options.sessions?.eventStore ?? new InMemoryEventStore(),
          retryIntervalMs: options.sessions?.retryIntervalMs,
        },
    onerror,
  });
  const allowedHosts =
    options.allowedHosts ?? (bindHost !== undefined && isLoopback(bindHost) ? LOCALHOST_NAMES : undefined);
  const settings: AppSettings = {
      path: options.path ?? options.defaultPath,
      cors: options.cors,
      allowedHosts,
      // Origins trusted for CORS are trusted by the Origin check too: otherwise a
      // browser app on a configured CORS origin passes the preflight and is then
      // refused 403 on every request to a loopback-bound server.
      allowedOrigins: [...(options.allowedOrigins ?? []), ...(options.cors?.origins ?? [])],
      maxBodyBytes,
      maxJsonDepth: options.maxJsonDepth ?? DEFAULT_MAX_DEPTH,
      healthPath: options.healthPath ?? "/health",
      serverName: options.serverName,
  };
  const app = createApp(settings, () => serving, routes);
  return { app, serving, settings, routes };
}
