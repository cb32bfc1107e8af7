/**
 * The official SDK v2 in memory: `InMemoryTransport.createLinkedPair()`, the
 * server half connected to an `McpServer` from the shared factory, the client
 * half to a `Client` from @modelcontextprotocol/client. The Client's default
 * version negotiation is `legacy`, so this is a 2025-11-25 connection
 * (initialize handshake on open).
 *
 * `list()` passes `cacheMode: "bypass"` so every call is a real tools/list
 * round trip (the v2 Client otherwise serves a fresh cached listing).
 */
import { Client, InMemoryTransport } from "@modelcontextprotocol/client";
import { build } from "../servers/sdk.mjs";

export async function open({ tools = 3 } = {}) {
  const server = build({ tools })({ era: "legacy" });
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  await server.connect(serverTransport);
  const client = new Client({ name: "bench-inproc", version: "1.0.0" });
  await client.connect(clientTransport);
  return {
    call: (name, args) => client.callTool({ name, arguments: args }),
    list: () => client.listTools(undefined, { cacheMode: "bypass" }),
    close: async () => {
      await client.close();
      await server.close();
    },
  };
}
