import type { Hono } from "hono";
import { listen, type NodeListener } from "../http/node-server.js";
import type { Connections, ProtocolHost, ServedConnection } from "../protocol/index.js";
import { serveConnection } from "../protocol/index.js";

/** Serve MCP on this process's stdin/stdout. Resolves when stdin closes. */
export function runStdio(host: ProtocolHost, connections: Connections, onerror: (error: Error) => void): { done: Promise<void>; connection: ServedConnection } {
  let finish: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (finish = resolve));
  process.stdin.once("end", () => finish());
  process.stdin.once("close", () => finish());
  const connection = serveConnection(host, connections, "stdio", undefined, onerror);
  return { done, connection };
}

/** Serve a hono app on Node. */
export function runHttp(app: Hono, host: string, port: number): Promise<NodeListener> {
  return listen((request) => app.fetch(request), host, port);
}
