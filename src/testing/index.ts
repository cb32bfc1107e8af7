/**
 * `mcpkit/testing`: helpers for your own test suites.
 *
 * @example
 * ```ts
 * import { connect } from "mcpkit/testing";
 * import { mcp } from "../src/server.js";
 *
 * it("adds", async () => {
 *   await using client = await connect(mcp);
 *   expect((await client.callTool("add", { a: 1, b: 2 })).data).toBe(3);
 * });
 * ```
 */
import { Client, type ClientOptions, type InMemoryServer } from "../client/index.js";

/**
 * A client connected to `server` in memory: the whole protocol path (both
 * eras, middleware, validation) with no process or socket. The default era is
 * `auto` (the 2026-07-28 era); pass `{ era: "legacy" }` to test the 2025 handshake.
 */
export function connect(server: InMemoryServer, options: ClientOptions = {}): Promise<Client> {
  return Client.connect(server, { name: "mcpkit-test-client", ...options });
}

export { Client };
