/**
 * mcpkit's direct call API: `mcp.callTool(name, args)` and `mcp.listTools()`
 * (docs/tools.md, "Calling tools in process"): the same middleware and
 * validation as a client's request, with no client, transport or JSON-RPC.
 */
import { build } from "../servers/mcpkit.mjs";

export async function open({ tools = 3 } = {}) {
  const mcp = build({ tools });
  return {
    call: (name, args) => mcp.callTool(name, args),
    list: () => mcp.listTools(),
    close: () => mcp.close(),
  };
}
