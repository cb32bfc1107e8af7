/**
 * mcp-lite in process. mcp-lite has no client and no in-memory transport; its
 * in-process path is its fetch handler: `new StreamableHttpTransport().bind(mcp)`
 * called with web `Request` objects, no socket (how it runs inside Workers or
 * a Service Worker). Stateless, `Accept: application/json` so answers are
 * JSON, protocol revision 2025-06-18 (its latest). This measures the fetch
 * handler with Request/Response construction, not a client: footnote it.
 */
import { StreamableHttpTransport } from "mcp-lite";
import { build } from "../servers/mcp-lite.mjs";

const HEADERS = { "content-type": "application/json", accept: "application/json", "mcp-protocol-version": "2025-06-18" };

export async function open({ tools = 3 } = {}) {
  const handler = new StreamableHttpTransport().bind(build({ tools }));
  let id = 0;
  const request = async (method, params) => {
    const response = await handler(new Request("http://127.0.0.1/mcp", { method: "POST", headers: HEADERS, body: JSON.stringify({ jsonrpc: "2.0", id: ++id, method, params }) }));
    const message = await response.json();
    if (message.error !== undefined) throw new Error(`${message.error.code}: ${message.error.message}`);
    return message.result;
  };
  return {
    call: (name, args) => request("tools/call", { name, arguments: args }),
    list: () => request("tools/list", {}),
    close: async () => undefined,
  };
}
