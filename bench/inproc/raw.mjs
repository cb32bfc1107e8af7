/**
 * raw, in process: a JSON-RPC request serialised, parsed and dispatched
 * through the raw responder's synchronous dispatcher
 * (bench/servers/raw-core.mjs), its response serialised and parsed back: what
 * any in-memory JSON-RPC exchange must do at least. No client library, no
 * transport: the in-process physical limit.
 *
 * `call` builds the full `tools/call` request and gets the full JSON-RPC
 * response object back; it resolves with that response's `result` (the
 * CallToolResult), like every other adapter. `dispatch` is exported for
 * callers that want the response object itself.
 */
import { build } from "../servers/raw.mjs";

export async function open({ tools = 3 } = {}) {
  const { dispatch } = build({ tools });
  let id = 0;
  const exchange = (request) => JSON.parse(JSON.stringify(dispatch(JSON.parse(JSON.stringify(request)))));
  const unwrap = (response) => {
    if (response.error !== undefined) throw new Error(`${response.error.code}: ${response.error.message}`);
    return response.result;
  };
  return {
    dispatch,
    call: async (name, args) => unwrap(exchange({ jsonrpc: "2.0", id: ++id, method: "tools/call", params: { name, arguments: args } })),
    list: async () => unwrap(dispatch({ jsonrpc: "2.0", id: ++id, method: "tools/list", params: {} })),
    close: async () => undefined,
  };
}
