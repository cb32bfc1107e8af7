import { getRequestListener } from "@hono/node-server";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** A running Node HTTP listener. */
export interface NodeListener {
  /** The base URL, e.g. `http://127.0.0.1:8000`. */
  readonly url: string;
  readonly port: number;
  /** Stop accepting, let in-flight requests finish (up to `graceMs`), then close. */
  close(graceMs?: number): Promise<void>;
}

/**
 * Whether a request is a call the shutdown must wait for. Standalone SSE
 * streams (GET) and modern `subscriptions/listen` streams never end on their
 * own: waiting for them would hold every shutdown for the whole grace period,
 * so they are cut once the calls have drained.
 */
function isDrainable(request: IncomingMessage): boolean {
  if (request.method !== "POST") return false;
  return request.headers["mcp-method"] !== "subscriptions/listen";
}

const SHUTTING_DOWN = JSON.stringify({ jsonrpc: "2.0", error: { code: -32000, message: "Server is shutting down" }, id: null });

/**
 * Serve a fetch handler on Node, tracking in-flight requests for a draining
 * shutdown. `front`, when given, sees each request first and may take it
 * (src/http/node-front.ts); what it leaves goes to `fetch` through the hono adapter.
 */
export async function listen(
  fetch: (request: Request) => Promise<Response> | Response,
  host: string,
  port: number,
  front?: (request: IncomingMessage, response: ServerResponse) => boolean,
): Promise<NodeListener> {
  let inFlight = 0;
  let closing = false;
  let drained: (() => void) | undefined;
  const adapter = getRequestListener(fetch, { hostname: host });
  const server = createServer((request, response) => {
    // A request that reaches a kept-alive connection after close() began is
    // refused (and that connection closed) rather than served half-way.
    if (closing) {
      response.writeHead(503, { "content-type": "application/json", connection: "close", "content-length": Buffer.byteLength(SHUTTING_DOWN) });
      response.end(SHUTTING_DOWN);
      return;
    }
    if (front?.(request, response) === true) return;
    void adapter(request, response);
  });
  // Count a call as in flight until its response has been written out (or its
  // connection dropped), not merely until the fetch handler returned: a
  // streamed (SSE) response is returned at once and written for as long as
  // the call runs, and a JSON response still has to reach the socket. Counting
  // only the handler's promise let close() cut both (found by test/http.test.ts).
  server.on("request", (request: IncomingMessage, response: ServerResponse) => {
    if (!isDrainable(request)) return;
    inFlight++;
    response.once("close", () => {
      inFlight--;
      if (inFlight === 0) drained?.();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    url: `http://${shownHost}:${address.port}`,
    port: address.port,
    async close(graceMs = 10_000) {
      closing = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      if (inFlight > 0) {
        await Promise.race([
          new Promise<void>((resolve) => (drained = resolve)),
          new Promise<void>((resolve) => setTimeout(resolve, graceMs).unref()),
        ]);
      }
      (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      await closed;
    },
  };
}
