/**
 * punkpeye fastmcp 4.x, as its README shows: `new FastMCP(...)`, `server.addTool`
 * with zod `parameters` (and `outputSchema` for structured output),
 * `server.start({ transportType: "stdio" | "httpStream" })`.
 *
 * It is built on the official SDK v1 (@modelcontextprotocol/sdk 1.x), which
 * speaks the 2025 protocol revisions only: the 2026-07-28 (modern) mode is
 * unsupported.
 */
import { FastMCP } from "fastmcp";
import { z } from "zod";
import { DESCRIPTIONS, LOG, SERVER_INFO, cli, fillerDescription, fillerNames, freePort, isMain, onShutdown, ready, unsupported } from "./common.mjs";

/**
 * fastmcp logs through `console` by default, `console.info` included, which
 * writes to stdout: session messages would land in the protocol stream (stdio)
 * or next to the READY line (HTTP). The documented `logger` option sends them
 * to stderr instead, and only when BENCH_LOG is set.
 */
const toStderr = (...args) => {
  if (LOG) process.stderr.write(`${args.map(String).join(" ")}\n`);
};
const logger = { debug: toStderr, error: toStderr, info: toStderr, log: toStderr, warn: toStderr };

export function build({ tools = 3 } = {}) {
  const server = new FastMCP({ ...SERVER_INFO, logger });

  const pair = z.object({ a: z.number(), b: z.number() });

  server.addTool({
    name: "add",
    description: DESCRIPTIONS.add,
    parameters: pair,
    execute: async ({ a, b }) => String(a + b),
  });

  server.addTool({
    name: "echo",
    description: DESCRIPTIONS.echo,
    parameters: z.object({ text: z.string() }),
    execute: async ({ text }) => text,
  });

  // With outputSchema, the returned object becomes structuredContent plus a JSON text block.
  server.addTool({
    name: "calc",
    description: DESCRIPTIONS.calc,
    parameters: pair,
    outputSchema: z.object({ sum: z.number(), product: z.number() }),
    execute: async ({ a, b }) => ({ sum: a + b, product: a * b }),
  });

  const filler = z.object({ id: z.string(), count: z.number().optional(), tags: z.array(z.string()).optional() });
  for (const name of fillerNames(tools)) {
    server.addTool({ name, description: fillerDescription(name), parameters: filler, execute: async () => "ok" });
  }
  return server;
}

if (isMain(import.meta.url)) {
  const args = cli();
  if (args.transport === "http" && args.mode === "modern") {
    unsupported("modern", "fastmcp 4.x is built on @modelcontextprotocol/sdk 1.x, which implements protocol revisions up to 2025-11-25, not 2026-07-28");
  }
  const server = build({ tools: args.tools });
  if (args.transport === "stdio") {
    await server.start({ transportType: "stdio" });
  } else {
    // fastmcp does not report the port it bound, so port 0 is resolved to a free port first.
    const port = args.port === 0 ? await freePort(args.host) : args.port;
    await server.start({
      transportType: "httpStream",
      httpStream: { host: args.host, port, stateless: args.mode === "stateless", enableJsonResponse: true },
    });
    onShutdown(() => server.stop());
    ready(port);
  }
}
