import { createNodeFront } from "../http/node-front.js";
import { listen, type NodeListener } from "../http/node-server.js";
import type { HttpFace } from "./serving.js";

// Apart from src/server/run-stdio.ts: a stdio server never loads node:http and the Node adapter.

/**
 * Serve an HTTP face on Node: the MCP endpoint's POSTs straight from
 * `node:http` (src/http/node-front.ts), everything else through the hono app.
 */
export async function runHttp(face: HttpFace, host: string, port: number): Promise<NodeListener> {
  // Loaded before the first request, so the fast path answers from the first one.
  await face.serving.ready();
  const front = createNodeFront(face.settings, face.serving, face.routes);
  return listen((request) => face.app.fetch(request), host, port, front);
}
