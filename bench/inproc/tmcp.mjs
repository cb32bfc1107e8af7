/**
 * tmcp in memory: @tmcp/transport-in-memory's `InMemoryTransport(server)` and
 * a `session()` initialized as its README shows. tmcp's legacy era goes up to
 * 2025-06-18, so the session is initialized with that revision. (The
 * transport also offers `stateless()`, a 2026-07-28 per-request client.)
 */
import { InMemoryTransport } from "@tmcp/transport-in-memory";
import { build } from "../servers/tmcp.mjs";

export async function open({ tools = 3 } = {}) {
  const transport = new InMemoryTransport(build({ tools }));
  const session = transport.session();
  await session.initialize("2025-06-18", {}, { name: "bench-inproc", version: "1.0.0" });
  return {
    call: (name, args) => session.callTool(name, args),
    list: () => session.listTools(),
    close: async () => {
      session.close();
      await transport.close();
    },
  };
}
