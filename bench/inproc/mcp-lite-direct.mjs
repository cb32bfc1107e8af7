/**
 * mcp-lite, direct: `mcp._dispatch(message)`, the JSON-RPC entry its
 * transports call (declared in its typings; the README's "implement custom
 * transports" seam, underscore-named, not a documented user API). A parsed
 * JSON-RPC request in, the response object out: the counterpart of raw's
 * in-process dispatch, not of mcpkit's `mcp.callTool()`.
 */
import { build } from "../servers/mcp-lite.mjs";

export async function open({ tools = 3 } = {}) {
  const mcp = build({ tools });
  let id = 0;
  const dispatch = async (method, params) => {
    const response = await mcp._dispatch({ jsonrpc: "2.0", id: ++id, method, params });
    if (response.error !== undefined) throw new Error(`${response.error.code}: ${response.error.message}`);
    return response.result;
  };
  return {
    call: (name, args) => dispatch("tools/call", { name, arguments: args }),
    list: () => dispatch("tools/list", {}),
    close: async () => undefined,
  };
}
