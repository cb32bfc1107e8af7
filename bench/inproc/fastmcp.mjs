/**
 * fastmcp in memory, as its README's "Unit testing with an in-memory
 * transport" shows: fastmcp has no client of its own, so this is
 * `server.connect(serverTransport)` with the official SDK v1's
 * `InMemoryTransport.createLinkedPair()` and SDK v1 `Client`
 * (@modelcontextprotocol/sdk, the SDK fastmcp is built on). 2025-11-25 era.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { build } from "../servers/fastmcp.mjs";

export async function open({ tools = 3 } = {}) {
  const server = build({ tools });
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: "bench-inproc", version: "1.0.0" });
  const [session] = await Promise.all([server.connect(serverTransport), client.connect(clientTransport)]);
  return {
    call: (name, args) => client.callTool({ name, arguments: args }),
    list: () => client.listTools(),
    close: async () => {
      await client.close();
      await session.close?.();
    },
  };
}
