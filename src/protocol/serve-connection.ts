import { serveStdio } from "@modelcontextprotocol/server/stdio";
import type { Connections } from "./connections.js";
import type { ProtocolHost } from "./host.js";
import type { MessageTransport } from "./in-memory.js";
import { createSdkServer } from "./sdk-server.js";
import { StdioTransport } from "./stdio-transport.js";
import { FastLane, withFastLane } from "./fast-lane.js";

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
  const inner = transport ?? new StdioTransport();
  const options = { transport: kind, connections };
  const lane = new FastLane(host, options, inner, onerror);
  const wire = withFastLane(inner, lane);
  const handle = serveStdio(() => {
    const server = createSdkServer(host, options);
    lane.attach(server);
    return server;
  }, {
    transport: wire as never,
    ...(onerror === undefined ? {} : { onerror }),
  });
  return { close: () => handle.close() };
}
