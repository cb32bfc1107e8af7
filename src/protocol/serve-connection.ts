import { serveStdio } from "@modelcontextprotocol/server/stdio";
import type { Connections } from "./connections.js";
import type { ProtocolHost } from "./host.js";
import type { MessageTransport } from "./in-memory.js";
import { createSdkServer } from "./sdk-server.js";

/** A served long-lived connection. */
export interface ServedConnection {
  close(): Promise<void>;
}

/**
 * Serve one long-lived connection (stdio or in-memory). The opening message
 * picks the era; one SDK server instance is pinned for the connection.
 */
export function serveConnection(
  host: ProtocolHost,
  connections: Connections,
  kind: "stdio" | "memory",
  transport?: MessageTransport,
  onerror?: (error: Error) => void,
): ServedConnection {
  const handle = serveStdio(() => createSdkServer(host, { transport: kind, connections }), {
    ...(transport === undefined ? {} : { transport: transport as never }),
    ...(onerror === undefined ? {} : { onerror }),
  });
  return { close: () => handle.close() };
}
