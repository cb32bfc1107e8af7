/**
 * mcpkit through its own in-memory client: `connect(mcp)` from mcpkit/testing
 * (docs/client.md). The whole protocol path, validation and middleware, no
 * socket; the default era is the 2026-07-28 one (`auto` negotiates it).
 */
import { connect } from "../../dist/testing/index.js";
import { build } from "../servers/mcpkit.mjs";

export async function open({ tools = 3 } = {}) {
  const mcp = build({ tools });
  const client = await connect(mcp);
  return {
    call: (name, args) => client.callTool(name, args),
    list: () => client.listTools(),
    close: async () => {
      await client.close();
      await mcp.close();
    },
  };
}
