import { Client } from "@modelcontextprotocol/client";
import type { FastMCP } from "../src/index.js";

/** Connect an SDK client to a server in memory (legacy handshake by default). */
export async function connectClient(
  mcp: FastMCP<any>,
  options: { capabilities?: Record<string, unknown>; mode?: "legacy" | "auto" } = {},
): Promise<Client> {
  const client = new Client(
    { name: "test-client", version: "1.0.0" },
    { capabilities: options.capabilities ?? {}, ...(options.mode === undefined ? {} : { versionNegotiation: { mode: options.mode } }) } as never,
  );
  await client.connect(mcp.inMemoryTransport() as never);
  return client;
}
