/**
 * Serve a web-standard `fetch(request) => Response` handler on Node, for the
 * frameworks whose HTTP transport is fetch-shaped (SDK v2's createMcpHandler,
 * tmcp's HttpTransport, mcp-lite's StreamableHttpTransport).
 *
 * Their docs name @modelcontextprotocol/node (SDK), srvx or
 * @remix-run/node-fetch-server (tmcp) and Hono (mcp-lite); none of the first
 * three is installed in bench/, so all three use @hono/node-server, the Node
 * adapter Hono documents (and the one mcpkit itself uses), so the
 * Node <-> fetch bridge costs the same for each of them.
 */
import { serve } from "@hono/node-server";
import { closeOnShutdown, ready } from "./common.mjs";

export function serveFetch(fetch, { host, port }) {
  const server = serve({ fetch, hostname: host, port }, (info) => ready(info.port));
  closeOnShutdown(server);
  return server;
}
