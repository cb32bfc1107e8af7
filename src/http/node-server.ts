import { createAdaptorServer } from "@hono/node-server";
import type { AddressInfo } from "node:net";

/** A running Node HTTP listener. */
export interface NodeListener {
  /** The base URL, e.g. `http://127.0.0.1:8000`. */
  readonly url: string;
  readonly port: number;
  /** Stop accepting, let in-flight requests finish (up to `graceMs`), then close. */
  close(graceMs?: number): Promise<void>;
}

/** Serve a fetch handler on Node, tracking in-flight requests for a draining shutdown. */
export async function listen(fetch: (request: Request) => Promise<Response> | Response, host: string, port: number): Promise<NodeListener> {
  let inFlight = 0;
  let drained: (() => void) | undefined;
  const counted = async (request: Request): Promise<Response> => {
    inFlight++;
    try {
      return await fetch(request);
    } finally {
      inFlight--;
      if (inFlight === 0) drained?.();
    }
  };
  const server = createAdaptorServer({ fetch: counted, hostname: host });
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
